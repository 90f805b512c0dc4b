/**
 * Colour for people, never for programs: ANSI SGR sequences (ECMA-48 §8.3.117) only when
 * the stream is a terminal, and never when `NO_COLOR` is set to a non-empty value
 * (no-color.org) or `TERM` is `dumb` (DESIGN §8: "colour only on a TTY and never with
 * `NO_COLOR`").
 */
import type { OutputStream } from './io.js';

export interface Palette {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** SGR parameters: 1 bold, 2 faint, 31–36 foreground colours; 22/39 reset just those. */
const SGR = {
  bold: ['1', '22'],
  dim: ['2', '22'],
  red: ['31', '39'],
  green: ['32', '39'],
  yellow: ['33', '39'],
  cyan: ['36', '39'],
} as const;

export function colourEnabled(
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (stream.isTTY !== true) return false;
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return env.TERM !== 'dumb';
}

export function palette(enabled: boolean): Palette {
  const paint =
    (name: keyof typeof SGR) =>
    (text: string): string =>
      enabled ? `\x1b[${SGR[name][0]}m${text}\x1b[${SGR[name][1]}m` : text;
  return {
    enabled,
    bold: paint('bold'),
    dim: paint('dim'),
    red: paint('red'),
    green: paint('green'),
    yellow: paint('yellow'),
    cyan: paint('cyan'),
  };
}

export function paletteFor(stream: OutputStream, env: Readonly<Record<string, string | undefined>>): Palette {
  return palette(colourEnabled(stream, env));
}

/** A plain palette, for output that must never carry escapes (JSON). */
export const PLAIN: Palette = palette(false);
