/**
 * What `mimi publish` and `mimi remove` print once the DP has accepted (DESIGN §8
 * "Errors are one clear line"; success is a short block a person can check against
 * what they meant): the CSI and mapping id, the serial, the MSPs with pri and tags,
 * the policy, the expiry (the earlier of the mapping's and its attestation's, as
 * `resolve` shows it, DESIGN §6), what the change removed, and the DP that took it.
 */
import type { Mapping, Removal, Unassignment } from '@mimi/protocol';
import { formatExpires } from '@mimi/stub-resolver';
import type { Palette } from '../colour.js';
import { describeTarget } from '../objects/dp-api.js';
import type { Submitted } from '../objects/submit.js';
import { alignColumns } from './columns.js';

const INDENT = '  ';
/** The same label column as `resolve`'s table. */
const LABEL_WIDTH = 'recipient'.length + 2;

function row(label: string, value: string, p: Palette): string {
  return `${INDENT}${p.dim(label)}${' '.repeat(Math.max(1, LABEL_WIDTH - label.length))}${value}`;
}

function block(label: string, lines: readonly string[], p: Palette): string[] {
  const [first = '', ...rest] = lines;
  return [row(label, first, p), ...rest.map((line) => `${INDENT}${' '.repeat(LABEL_WIDTH)}${line}`)];
}

function mspLines(mapping: Mapping, p: Palette): string[] {
  if (mapping.msps.length === 0) return ['none (found on no msp: opted out)'];
  return alignColumns([
    [p.dim('PRI'), p.dim('MSP'), p.dim('TAGS')],
    ...mapping.msps.map((entry) => [
      String(entry.pri),
      entry.msp,
      entry.tags.length === 0 ? '-' : entry.tags.join(', '),
    ]),
  ]);
}

function list(ids: readonly string[]): string {
  return ids.join(', ');
}

function dpLine(submitted: Submitted, p: Palette): string {
  return row('dp', describeTarget(submitted.dp), p);
}

export function formatPublished(mapping: Mapping, submitted: Submitted, p: Palette): string {
  const lines = [
    `${p.green('published')} mapping ${p.bold(mapping.id)} of ${p.bold(mapping.csi)}`,
    row('serial', String(submitted.accepted.serial ?? mapping.serial), p),
    row('expires', formatExpires(Math.min(mapping.exp, mapping.att.exp)), p),
    row('csip', `${mapping.att.csip}, epoch ${mapping.att.epoch}`, p),
  ];
  if (mapping.policy?.sameMspOnly === true) {
    lines.push(row('policy', 'sameMspOnly (senders reach you only on their own msp)', p));
  }
  lines.push(...block('msps', mspLines(mapping, p), p));
  const removed = submitted.accepted.removed.filter((id) => id !== mapping.id);
  if (removed.length > 0) lines.push(row('removed', list(removed), p));
  lines.push(dpLine(submitted, p));
  return `${lines.join('\n')}\n`;
}

export function formatRemoved(removal: Removal, submitted: Submitted, p: Palette): string {
  const { removed } = submitted.accepted;
  const asked = removal.all === true ? 'every mapping' : `${list(removal.ids ?? [])}`;
  const head =
    removed.length === 0
      ? `${p.yellow('nothing removed')} from ${p.bold(removal.csi)}: no mapping matched (${asked})`
      : `${p.green('removed')} ${p.bold(list(removed))} from ${p.bold(removal.csi)}`;
  const lines = [head, row('serial', String(submitted.accepted.serial ?? removal.serial), p)];
  lines.push(dpLine(submitted, p));
  return `${lines.join('\n')}\n`;
}

export function formatUnassigned(unassignment: Unassignment, submitted: Submitted, p: Palette): string {
  const { removed } = submitted.accepted;
  const lines = [
    `${p.green('unassigned')} ${p.bold(unassignment.csi)}: attestations below epoch ${unassignment.epoch} are void`,
    row('removed', removed.length === 0 ? 'none' : list(removed), p),
    row('csip', unassignment.csip, p),
    dpLine(submitted, p),
  ];
  return `${lines.join('\n')}\n`;
}
