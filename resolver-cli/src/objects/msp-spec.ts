/**
 * `--msp MSP[:TAG,TAG][@PRI]` of `mimi publish` (DESIGN §8) into the `msps` entries of a
 * mapping (DESIGN §4): the MSP a lowercase LDH host name in A-labels, tags free text of
 * 1–64 octets (≤ 8 per MSP), `pri` 0–65535 and, without `@PRI`, 10 × the MSP's position
 * ("`--msp` without `@PRI` gets 10 × its position (10, 20, …)"). At most 16 MSPs, no
 * MSP twice; the order given is the order signed.
 */
import { domainToASCII } from 'node:url';
import { hasValidALabels, hostNameProblem, type MspEntry } from '@mimi/protocol';
import { CliError } from '../errors.js';

/** DESIGN §4: "`pri` ≤ 65535, lower is preferred". */
export const MAX_PRI = 65535;
/** DESIGN §4: "≤ 16 MSPs per mapping". */
export const MAX_MSPS = 16;
/** DESIGN §4: "≤ 8 tags per MSP". */
export const MAX_TAGS = 8;
/** DESIGN §4: tags "each 1–64 octets of UTF-8". */
export const MAX_TAG_OCTETS = 64;
/** DESIGN §8: "10 × its position". */
export const DEFAULT_PRI_STEP = 10;

function bad(spec: string, problem: string): CliError {
  return new CliError('bad-option', `--msp '${spec}': ${problem}`, { details: { option: 'msp', spec } });
}

/** A host name as typed (any case, U-labels allowed) in lowercase A-labels, or why not. */
export function hostNameOf(text: string): { name: string } | { problem: string } {
  const lower = text.trim().toLowerCase();
  // Non-ASCII goes through UTS #46 (WHATWG host parser); '' means it refused.
  const ascii = /^[\x21-\x7e]*$/.test(lower);
  const name = ascii ? lower : domainToASCII(lower);
  if (!ascii && name === '') return { problem: 'not a valid internationalized domain name' };
  const problem = hostNameProblem(name);
  if (problem !== null) return { problem: `not a host name: ${problem}` };
  if (!hasValidALabels(name)) return { problem: 'has an invalid xn-- label' };
  return { name };
}

function tagsOf(spec: string, text: string): string[] {
  const tags = text.split(',').map((tag) => tag.trim());
  if (tags.length > MAX_TAGS) throw bad(spec, `${tags.length} tags, at most ${MAX_TAGS}`);
  const seen = new Set<string>();
  for (const tag of tags) {
    const octets = Buffer.byteLength(tag, 'utf8');
    if (octets === 0) throw bad(spec, 'empty tag');
    if (octets > MAX_TAG_OCTETS) throw bad(spec, `tag of ${octets} octets, at most ${MAX_TAG_OCTETS}`);
    if (seen.has(tag)) throw bad(spec, `tag '${tag}' given twice`);
    seen.add(tag);
  }
  return tags;
}

/** One `--msp` value; `position` counts from 1. */
export function parseMspSpec(spec: string, position: number): MspEntry {
  let rest = spec;
  let pri = DEFAULT_PRI_STEP * position;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const priText = rest.slice(at + 1);
    if (!/^[0-9]+$/.test(priText)) throw bad(spec, `priority '${priText}' is not a whole number`);
    pri = Number(priText);
    if (pri > MAX_PRI) throw bad(spec, `priority ${priText} is over ${MAX_PRI}`);
    rest = rest.slice(0, at);
  }
  const colon = rest.indexOf(':');
  const mspText = colon < 0 ? rest : rest.slice(0, colon);
  const tags = colon < 0 ? [] : tagsOf(spec, rest.slice(colon + 1));
  const host = hostNameOf(mspText);
  if ('problem' in host) throw bad(spec, `msp '${mspText}' is ${host.problem}`);
  return { msp: host.name, pri, tags };
}

/** Every `--msp`, in order; refuses more than 16 and any MSP named twice. */
export function parseMspSpecs(specs: readonly string[]): MspEntry[] {
  if (specs.length > MAX_MSPS) {
    throw new CliError('bad-option', `${specs.length} msps given, at most ${MAX_MSPS} per mapping`, {
      details: { option: 'msp' },
    });
  }
  const entries = specs.map((spec, index) => parseMspSpec(spec, index + 1));
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.msp)) {
      throw new CliError('bad-option', `--msp '${entry.msp}' given twice`, { details: { option: 'msp' } });
    }
    seen.add(entry.msp);
  }
  return entries;
}
