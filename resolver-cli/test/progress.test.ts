/**
 * DESIGN §8 "progress on a TTY": the bar is drawn on the terminal only, redrawn in place,
 * cleared around lines written elsewhere, and removed at the end.
 */
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../src/format/progress.js';
import { Captured } from './helpers/memory-io.js';

describe('ProgressBar', () => {
  it.each([
    [0, 4, '[........................] 0/4 csis 0%'],
    [1, 4, '[######..................] 1/4 csis 25%'],
    [3, 4, '[##################......] 3/4 csis 75%'],
    [4, 4, '[########################] 4/4 csis 100%'],
    [1, 3, '[########................] 1/3 csis 33%'],
    [0, 0, '[########################] 0/0 csis 100%'],
  ])('%i of %i renders %j', (done, total, text) => {
    expect(ProgressBar.render(done, total)).toBe(text);
  });

  it('draws in place with CR + erase-line, clears around other output, and removes itself', () => {
    const stderr = new Captured(true);
    const stdout = new Captured(false);
    const bar = new ProgressBar(stderr, 2, true);
    bar.update(1);
    bar.above(() => stdout.write('line\n'));
    bar.update(2);
    bar.finish();
    const clear = '\r\x1b[2K';
    expect(stderr.text).toBe(
      `${clear}${ProgressBar.render(1, 2)}${clear}${clear}${ProgressBar.render(1, 2)}${clear}${ProgressBar.render(2, 2)}${clear}`,
    );
    expect(stdout.text).toBe('line\n');
  });

  it('writes nothing when disabled (stderr is not a terminal)', () => {
    const stderr = new Captured(false);
    const bar = new ProgressBar(stderr, 2, false);
    let wrote = false;
    bar.update(1);
    bar.above(() => {
      wrote = true;
    });
    bar.finish();
    expect(wrote).toBe(true);
    expect(stderr.text).toBe('');
  });
});
