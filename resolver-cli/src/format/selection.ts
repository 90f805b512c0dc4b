/**
 * `mimi resolve --select` (DESIGN §8: "exactly one MSP, or none"): the stub's choice, and
 * for people the reason when there is none (the status, or `sameMspOnly` mappings that
 * do not offer the sender's MSP — CUJ 2) or when `--context` matched no tag (CUJ 7).
 */
import { type ResolveResult, type SelectedMsp, type SelectOptions, selectMsp } from '@mimi/stub-resolver';
import type { Palette } from '../colour.js';

export interface Selection {
  readonly selected: SelectedMsp | null;
  /** Why nothing was selected, or what to know about the choice; null when nothing to say. */
  readonly note: string | null;
}

function noneReason(result: ResolveResult, options: SelectOptions): string {
  if (result.status !== 'found') {
    return result.reason === null ? `status ${result.status}` : `status ${result.status}: ${result.reason}`;
  }
  // `found` with nothing selectable: every MSP sits in a sameMspOnly mapping.
  if (options.senderMsp === undefined) {
    return 'the recipient accepts messages only from its own msp (sameMspOnly) and no --sender-msp was given';
  }
  return `the recipient accepts messages only from its own msp (sameMspOnly), and ${options.senderMsp.trim().toLowerCase()} is not one of them`;
}

export function selectionOf(result: ResolveResult, options: SelectOptions): Selection {
  const selected = selectMsp(result, options);
  if (selected === null) return { selected, note: noneReason(result, options) };
  const context = options.context?.trim();
  if (context !== undefined && context !== '' && !selected.matchedContext) {
    return { selected, note: `no msp is tagged '${context}'; chosen by pri` };
  }
  return { selected, note: null };
}

/** `--select` for people: one line per CSI. */
export function formatSelection(result: ResolveResult, selection: Selection, p: Palette): string {
  const { selected, note } = selection;
  if (selected === null) {
    return `${p.bold(result.csi)}  ${p.yellow('none')}  ${p.dim(`(${note})`)}\n`;
  }
  const tags = selected.tags.length === 0 ? '' : `, tags ${selected.tags.join(', ')}`;
  const details = `pri ${selected.pri}, mapping ${selected.mappingId}${tags}`;
  const extra = note === null ? '' : `; ${note}`;
  return `${p.bold(result.csi)}  ${p.green(selected.msp)}  ${p.dim(`(${details}${extra})`)}\n`;
}
