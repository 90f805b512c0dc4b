/**
 * Aligned text columns for the people-facing output: each cell padded to the widest in
 * its column (by code points, without colour escapes), the last column left ragged.
 */

/** Visible width: escapes (SGR) do not count, every code point counts one. */
export function visibleWidth(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: SGR escapes are what we strip
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

/** Rows of cells → lines, columns separated by `gap` spaces. */
export function alignColumns(rows: readonly (readonly string[])[], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleWidth(cell) + gap),
      )
      .join('')
      .trimEnd(),
  );
}
