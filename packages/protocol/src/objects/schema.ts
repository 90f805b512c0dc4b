/**
 * The schema of each discovery object (DESIGN §4 "Records" and "Encoding, exactly"):
 * from a decoded CBOR value to its typed form, refusing every deviation with the codes
 * of fields.ts plus `csi-not-normalized` (a `csi` that normalizing would change) and
 * `schema-exclusive` (a removal with both or neither of `ids` and `all`).
 *
 * `signed` says whether `sig` must be present (a signed object) or absent (the
 * unsigned form that is encoded into a signing input).
 */

import { MAX_CSI_OCTETS } from '../csi/constants.js';
import { hasValidALabels, isHostName } from '../csi/host-name.js';
import { isNormalizedCsi } from '../csi/normalize.js';
import type { CborValue } from './cbor-reader.js';
import {
  ID_PATTERN,
  KEY_OCTETS,
  MAX_IDS,
  MAX_MSPS,
  MAX_PRI,
  MAX_SCOPE_ENTRIES,
  MAX_TAG_OCTETS,
  MAX_TAGS,
  MIN_EPOCH,
  SCOPE_PREFIX_PATTERN,
  SIG_OCTETS,
} from './constants.js';
import { asMap, assertDistinct, elementText, Fields, quote, schemaError } from './fields.js';
import type {
  Attestation,
  CsipKeyRecord,
  Mapping,
  MappingPolicy,
  MspEntry,
  Removal,
  Unassignment,
  UnsignedAttestation,
  UnsignedMapping,
  UnsignedRemoval,
  UnsignedUnassignment,
} from './types.js';

const ID_RULE = '1-32 of a-z 0-9 -';

function keys(signed: boolean, ...names: string[]): string[] {
  return signed ? [...names, 'sig'] : names;
}

function sigOf(fields: Fields, signed: boolean): { sig: Uint8Array } | Record<string, never> {
  return signed ? { sig: fields.bytes('sig', SIG_OCTETS) } : {};
}

/** `csi`: text ≤ 320 octets in normalized form. */
function csiOf(fields: Fields): string {
  const csi = fields.text('csi');
  if (Buffer.byteLength(csi, 'utf8') > MAX_CSI_OCTETS) {
    throw schemaError('schema-limit', `'csi' is over ${MAX_CSI_OCTETS} octets`, fields.path);
  }
  if (!isNormalizedCsi(csi)) {
    throw schemaError('csi-not-normalized', `csi ${quote(csi)} is not in normalized form`, fields.path);
  }
  return csi;
}

/** A lowercase LDH host name in valid A-labels (≤ 253 octets). */
function isALabelHostName(name: string): boolean {
  return isHostName(name) && hasValidALabels(name);
}

export function attestationSchema(value: CborValue, signed: true, path?: string): Attestation;
export function attestationSchema(value: CborValue, signed: boolean, path?: string): UnsignedAttestation;
export function attestationSchema(
  value: CborValue,
  signed: boolean,
  path = 'attestation',
): UnsignedAttestation {
  const f = new Fields(value, path, keys(signed, 'v', 'rk', 'csi', 'exp', 'iat', 'csip', 'epoch'), {
    versioned: true,
  });
  return {
    v: 1,
    csi: csiOf(f),
    rk: f.bytes('rk', KEY_OCTETS),
    csip: f.textMatching('csip', ID_PATTERN, ID_RULE),
    epoch: f.uint('epoch', MIN_EPOCH),
    iat: f.uint('iat'),
    exp: f.uint('exp'),
    ...sigOf(f, signed),
  };
}

function mspEntrySchema(value: CborValue, path: string): MspEntry {
  const f = new Fields(value, path, ['msp', 'pri', 'tags']);
  const msp = f.text('msp');
  if (!isALabelHostName(msp)) {
    throw schemaError('schema-limit', `msp ${quote(msp)} is not a lowercase host name in a-labels`, path);
  }
  const tags = f.array('tags', 0, MAX_TAGS).map((tag, i) => {
    const text = elementText(tag, `${path}.tags[${i}]`);
    const octets = Buffer.byteLength(text, 'utf8');
    if (octets < 1 || octets > MAX_TAG_OCTETS) {
      throw schemaError(
        'schema-limit',
        `tag of ${octets} octets (want 1..${MAX_TAG_OCTETS})`,
        `${path}.tags[${i}]`,
      );
    }
    return text;
  });
  return { msp, pri: f.uint('pri', 0, MAX_PRI), tags };
}

function policySchema(value: CborValue, path: string): MappingPolicy {
  if (asMap(value, path).size === 0) {
    throw schemaError('schema-empty-policy', 'empty policy (leave it out)', path);
  }
  const f = new Fields(value, path, ['sameMspOnly']);
  const sameMspOnly = f.flag('sameMspOnly');
  return sameMspOnly ? { sameMspOnly } : {};
}

export function mappingSchema(value: CborValue, signed: true): Mapping;
export function mappingSchema(value: CborValue, signed: boolean): UnsignedMapping;
export function mappingSchema(value: CborValue, signed: boolean): UnsignedMapping {
  const path = 'mapping';
  const f = new Fields(
    value,
    path,
    keys(signed, 'v', 'id', 'att', 'csi', 'exp', 'iat', 'new', 'msps', 'policy', 'serial'),
    { versioned: true },
  );
  const msps = f.array('msps', 0, MAX_MSPS).map((entry, i) => mspEntrySchema(entry, `${path}.msps[${i}]`));
  assertDistinct(
    msps.map((entry) => entry.msp),
    'msp',
    `${path}.msps`,
  );
  const isNew = f.flag('new');
  const policy = f.optional('policy');
  return {
    v: 1,
    csi: csiOf(f),
    id: f.textMatching('id', ID_PATTERN, ID_RULE),
    serial: f.uint('serial'),
    ...(isNew ? { new: isNew } : {}),
    iat: f.uint('iat'),
    exp: f.uint('exp'),
    msps,
    ...(policy === undefined ? {} : { policy: policySchema(policy, `${path}.policy`) }),
    att: attestationSchema(f.required('att'), true, `${path}.att`),
    ...sigOf(f, signed),
  };
}

export function removalSchema(value: CborValue, signed: true): Removal;
export function removalSchema(value: CborValue, signed: boolean): UnsignedRemoval;
export function removalSchema(value: CborValue, signed: boolean): UnsignedRemoval {
  const path = 'removal';
  const f = new Fields(value, path, keys(signed, 'v', 'rk', 'all', 'csi', 'iat', 'ids', 'serial'), {
    versioned: true,
  });
  if (f.has('ids') === f.has('all')) {
    throw schemaError('schema-exclusive', 'exactly one of ids and all is required', path);
  }
  let selection: { ids: string[] } | { all: true };
  if (f.has('ids')) {
    const ids = f.array('ids', 1, MAX_IDS).map((id, i) => {
      const text = elementText(id, `${path}.ids[${i}]`);
      if (!ID_PATTERN.test(text)) {
        throw schemaError('schema-limit', `id ${quote(text)} is not ${ID_RULE}`, path);
      }
      return text;
    });
    assertDistinct(ids, 'id', `${path}.ids`);
    selection = { ids };
  } else {
    selection = { all: f.flag('all')! };
  }
  return {
    v: 1,
    csi: csiOf(f),
    rk: f.bytes('rk', KEY_OCTETS),
    ...selection,
    serial: f.uint('serial'),
    iat: f.uint('iat'),
    ...sigOf(f, signed),
  };
}

export function unassignmentSchema(value: CborValue, signed: true): Unassignment;
export function unassignmentSchema(value: CborValue, signed: boolean): UnsignedUnassignment;
export function unassignmentSchema(value: CborValue, signed: boolean): UnsignedUnassignment {
  const f = new Fields(value, 'unassignment', keys(signed, 'v', 'csi', 'iat', 'csip', 'epoch'), {
    versioned: true,
  });
  return {
    v: 1,
    csi: csiOf(f),
    csip: f.textMatching('csip', ID_PATTERN, ID_RULE),
    epoch: f.uint('epoch', MIN_EPOCH),
    iat: f.uint('iat'),
    ...sigOf(f, signed),
  };
}

export function csipKeySchema(value: CborValue): CsipKeyRecord {
  const path = 'csipkey';
  const f = new Fields(value, path, ['v', 'id', 'pk', 'exp', 'scope'], { versioned: true });
  const scope = f.array('scope', 1, MAX_SCOPE_ENTRIES).map((entry, i) => {
    const text = elementText(entry, `${path}.scope[${i}]`);
    if (!SCOPE_PREFIX_PATTERN.test(text) && !isALabelHostName(text)) {
      throw schemaError(
        'schema-limit',
        `scope entry ${quote(text)} is neither +digits nor a host name`,
        path,
      );
    }
    return text;
  });
  return {
    v: 1,
    id: f.textMatching('id', ID_PATTERN, ID_RULE),
    pk: f.bytes('pk', KEY_OCTETS),
    scope,
    exp: f.uint('exp'),
  };
}
