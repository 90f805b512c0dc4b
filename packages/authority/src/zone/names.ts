/**
 * Name helpers for the zone index (RFC 1034 §3.1 tree, RFC 4034 §6.2 canonical text).
 * Every name stored or compared by the authority layer is canonical: absolute,
 * ASCII-lowercase presentation text, so exact lookups are plain string equality.
 */
import { formatName, parseName } from '@mimi/protocol';

/**
 * The canonical names from `name` up to and including its ancestor `apex`, most
 * specific first. `name` must be at or below `apex` (the caller checked).
 */
export function namesUpTo(name: string, apex: string): string[] {
  const labels = parseName(name);
  const depth = labels.length - parseName(apex).length;
  const out: string[] = [];
  for (let i = 0; i <= depth; i++) out.push(formatName(labels.slice(i)));
  return out;
}

/** True when the first label of a canonical name is the asterisk label (RFC 4592 §2.1.1). */
export function isWildcardName(name: string): boolean {
  return name === '*.' || name.startsWith('*.');
}
