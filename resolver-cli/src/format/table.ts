/**
 * The people-facing form of one resolution (DESIGN §8 `mimi resolve` without `--json`):
 * the CSI and its status, the owner name, every verified mapping (id, serial, expiry,
 * CSIP and epoch, recipient key, policy) with its MSPs by `pri` and tags, then any
 * warnings and the reason. Plain text; colour only through the palette.
 */
import type { ResolveResult, ResultMapping } from '@mimi/stub-resolver';
import type { Palette } from '../colour.js';
import { alignColumns } from './columns.js';
import { paintStatus, statusMeaning } from './status.js';

const INDENT = '  ';
/** Labels are padded to one width at every level, so values line up down the table. */
const LABEL_WIDTH = 'recipient'.length + 2;

function row(
  depth: number,
  label: string,
  value: string,
  paint: (text: string) => string = (t) => t,
): string {
  const pad = ' '.repeat(Math.max(1, LABEL_WIDTH - label.length));
  return `${INDENT.repeat(depth)}${paint(label)}${pad}${value}`;
}

function mspLines(mapping: ResultMapping, p: Palette): string[] {
  if (mapping.msps.length === 0) return [p.dim('none (found on no msp)')];
  const rows = [
    [p.dim('PRI'), p.dim('MSP'), p.dim('TAGS')],
    ...mapping.msps.map((entry) => [
      String(entry.pri),
      entry.msp,
      entry.tags.length === 0 ? '-' : entry.tags.join(', '),
    ]),
  ];
  return alignColumns(rows);
}

function policyText(mapping: ResultMapping): string | null {
  const keys = Object.entries(mapping.policy)
    .filter(([, value]) => value === true)
    .map(([key]) => key);
  return keys.length === 0 ? null : keys.join(', ');
}

function mappingLines(mapping: ResultMapping, p: Palette): string[] {
  const lines = [
    row(1, 'mapping', p.bold(mapping.id), p.bold),
    row(2, 'serial', String(mapping.serial)),
    row(2, 'expires', mapping.expires),
    row(2, 'csip', `${mapping.csip}, epoch ${mapping.epoch}`),
    row(2, 'recipient', mapping.recipientKey),
  ];
  const policy = policyText(mapping);
  if (policy !== null) lines.push(row(2, 'policy', p.yellow(policy)));
  const [first, ...rest] = mspLines(mapping, p);
  lines.push(row(2, 'msps', first!), ...rest.map((line) => row(2, '', line)));
  return lines;
}

/** One result as text, ending with a newline. */
export function formatResultTable(result: ResolveResult, p: Palette): string {
  const lines = [`${p.bold(result.csi)}  ${paintStatus(result.status, p)}  ${p.dim(statusMeaning(result))}`];
  lines.push(row(1, 'qname', result.qname));
  for (const mapping of result.mappings) lines.push(...mappingLines(mapping, p));
  for (const warning of result.warnings) lines.push(row(1, 'warning', warning, p.yellow));
  if (result.reason !== null) lines.push(row(1, 'reason', result.reason, p.red));
  return `${lines.join('\n')}\n`;
}
