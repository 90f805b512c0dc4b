/**
 * `mimi resolve --json` (DESIGN §8): one object per CSI, one line each (NDJSON for
 * several), exactly the documented shape — the stub's `resultToJson` — plus, with
 * `--select`, `"selected": {"msp", "pri", "tags", "mappingId", "matchedContext"} | null`.
 * Never coloured.
 */
import { type ResolveResult, resultToJson, type SelectedMsp } from '@mimi/stub-resolver';

function selectedJson(selected: SelectedMsp | null): Record<string, unknown> | null {
  if (selected === null) return null;
  return {
    msp: selected.msp,
    pri: selected.pri,
    tags: [...selected.tags],
    mappingId: selected.mappingId,
    matchedContext: selected.matchedContext,
  };
}

/**
 * One NDJSON line. `selected` is left out when `--select` was not asked for, and is
 * `null` when it was and nothing was selectable.
 */
export function resultJsonLine(result: ResolveResult, selected?: SelectedMsp | null): string {
  const object = resultToJson(result);
  if (selected !== undefined) object.selected = selectedJson(selected);
  return `${JSON.stringify(object)}\n`;
}
