/**
 * Which part of the apex's namespace a DNS name lies in (DESIGN §3 "Names"; §5 for why
 * servers care: inside the CSI subtrees `e164.` and `email.` a missing name is denied
 * like an empty non-terminal, never with NXNAME).
 */
import { canonicalName, formatLabel, isSubdomain, type Labels, parseName } from '../wire/name.js';
import {
  CSIP_SUBTREE_LABEL,
  DEFAULT_APEX,
  EMAIL_SUBTREE_LABEL,
  LOCAL_PART_HASH_OCTETS,
  NIC_SUBTREE_LABEL,
  PHONE_SUBTREE_LABEL,
} from './constants.js';

export type NameClass =
  /** The apex itself. */
  | { readonly kind: 'apex'; readonly name: string }
  /**
   * At or below `e164.<apex>`. `prefix` is the E.164 digit string the labels stand for
   * (`44` for `4.4.e164.<apex>`, `''` for `e164.<apex>`), null when some label is not a
   * single digit (no CSI lives there).
   */
  | { readonly kind: 'phone-tree'; readonly name: string; readonly prefix: string | null }
  /**
   * At or below `email.<apex>`. `hashedLocal` is the first label when it looks like a
   * hashed local part (56 lowercase hex digits, with a domain below it); `domain` is the
   * rest between it and `email.` (null at `email.<apex>` itself).
   */
  | {
      readonly kind: 'email-tree';
      readonly name: string;
      readonly domain: string | null;
      readonly hashedLocal: string | null;
    }
  /** At or below `csip.<apex>`; `csipId` when the name is exactly `<id>.csip.<apex>`. */
  | { readonly kind: 'csip'; readonly name: string; readonly csipId: string | null }
  /** At or below `nic.<apex>` (server host names). */
  | { readonly kind: 'nic'; readonly name: string }
  /** Anything else, below the apex or outside it. */
  | { readonly kind: 'other'; readonly name: string; readonly underApex: boolean };

const HASH_LABEL = new RegExp(`^[0-9a-f]{${2 * LOCAL_PART_HASH_OCTETS}}$`);
const DIGIT_LABEL = /^[0-9]$/;

/** Labels of `name` above `depth` labels of the apex, lowercase text, most specific first. */
function relativeLabels(labels: Labels, apexLength: number): string[] {
  return labels.slice(0, labels.length - apexLength).map((label) => formatLabel(label).toLowerCase());
}

/**
 * Classify `name` relative to `apex` (both presentation format, compared
 * case-insensitively). The returned `name` is canonical (lowercase, absolute).
 */
export function classifyName(name: string, apex: string = DEFAULT_APEX): NameClass {
  const canonical = canonicalName(name);
  const labels = parseName(canonical);
  const apexLabels = parseName(apex);
  if (!isSubdomain(labels, apexLabels)) return { kind: 'other', name: canonical, underApex: false };
  const relative = relativeLabels(labels, apexLabels.length);
  if (relative.length === 0) return { kind: 'apex', name: canonical };
  const top = relative[relative.length - 1]!;
  const below = relative.slice(0, -1);
  switch (top) {
    case PHONE_SUBTREE_LABEL: {
      const prefix = below.every((label) => DIGIT_LABEL.test(label)) ? [...below].reverse().join('') : null;
      return { kind: 'phone-tree', name: canonical, prefix };
    }
    case EMAIL_SUBTREE_LABEL: {
      if (below.length === 0) return { kind: 'email-tree', name: canonical, domain: null, hashedLocal: null };
      const hashed = below.length >= 2 && HASH_LABEL.test(below[0]!);
      return {
        kind: 'email-tree',
        name: canonical,
        domain: (hashed ? below.slice(1) : below).join('.'),
        hashedLocal: hashed ? below[0]! : null,
      };
    }
    case CSIP_SUBTREE_LABEL:
      return { kind: 'csip', name: canonical, csipId: below.length === 1 ? below[0]! : null };
    case NIC_SUBTREE_LABEL:
      return { kind: 'nic', name: canonical };
    default:
      return { kind: 'other', name: canonical, underApex: true };
  }
}

/** True for names at or below `e164.<apex>` or `email.<apex>`. */
export function isInCsiSubtree(name: string, apex: string = DEFAULT_APEX): boolean {
  const kind = classifyName(name, apex).kind;
  return kind === 'phone-tree' || kind === 'email-tree';
}
