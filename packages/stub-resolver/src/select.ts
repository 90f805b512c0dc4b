/**
 * Choosing exactly one MSP for a sender (DESIGN §8 `--select`; the requirements'
 * critical user journeys 1–4 and 7 in DESIGN §1):
 *
 * - only a `found` result offers anything; every MSP of every verified mapping is a
 *   candidate, except that a `sameMspOnly` mapping offers only the sender's own MSP
 *   (none without `senderMsp`) — CUJ 2;
 * - with a `context`, candidates tagged with it (case-insensitively) are preferred; when
 *   none is, the context does not exclude anyone — CUJ 7;
 * - then the lowest `pri`, then the mapping `id`, then the MSP name: one answer,
 *   deterministically, never a set — CUJ 3 and 4.
 */
import type { ResolveResult, ResultMsp } from './result.js';

export interface SelectOptions {
  /** The sender's own MSP (a host name such as `signal.example`). */
  readonly senderMsp?: string | undefined;
  /** A tag such as `Business`, matched case-insensitively. */
  readonly context?: string | undefined;
}

export interface SelectedMsp extends ResultMsp {
  /** The `id` of the mapping the MSP came from. */
  readonly mappingId: string;
  /** True when the MSP carries the requested context tag. */
  readonly matchedContext: boolean;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Exactly one MSP, or null when the result offers none to this sender. */
export function selectMsp(result: ResolveResult, options: SelectOptions = {}): SelectedMsp | null {
  if (result.status !== 'found') return null;
  const sender = options.senderMsp?.trim().toLowerCase();
  const context = options.context?.trim().toLowerCase();
  const candidates: SelectedMsp[] = [];
  for (const mapping of result.mappings) {
    for (const entry of mapping.msps) {
      if (mapping.policy.sameMspOnly === true && (sender === undefined || entry.msp !== sender)) continue;
      const matchedContext =
        context !== undefined && context !== '' && entry.tags.some((tag) => tag.toLowerCase() === context);
      candidates.push({ ...entry, mappingId: mapping.id, matchedContext });
    }
  }
  const preferred = candidates.some((candidate) => candidate.matchedContext)
    ? candidates.filter((candidate) => candidate.matchedContext)
    : candidates;
  preferred.sort(
    (a, b) => a.pri - b.pri || compareText(a.mappingId, b.mappingId) || compareText(a.msp, b.msp),
  );
  return preferred[0] ?? null;
}
