/**
 * The progress bar of a bulk resolve (DESIGN §8: "progress on a TTY"): one line on
 * stderr, redrawn in place with CR and EL (ECMA-48 §8.3.41, erase in line), and only
 * when stderr is a terminal. Lines written to stdout meanwhile go through `above`, so
 * the bar never lands in the middle of a result on a shared terminal.
 */
import type { OutputStream } from '../io.js';

const BAR_WIDTH = 24;
/** CR then "erase in line, entire line" (CSI 2 K). */
const CLEAR_LINE = '\r\x1b[2K';

export class ProgressBar {
  private done = 0;
  private shown = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  /** The bar's text for `done` of `total` (without control characters). */
  static render(done: number, total: number): string {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const percent = Math.floor(fraction * 100);
    return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} csis ${percent}%`;
  }

  update(done: number): void {
    this.done = done;
    this.draw();
  }

  /** Run `write` (output to another stream) with the bar cleared, then redraw it. */
  above(write: () => void): void {
    if (!this.enabled || !this.shown) {
      write();
      return;
    }
    this.stream.write(CLEAR_LINE);
    write();
    this.draw();
  }

  /** Remove the bar for good. */
  finish(): void {
    if (this.enabled && this.shown) this.stream.write(CLEAR_LINE);
    this.shown = false;
  }

  private draw(): void {
    if (!this.enabled) return;
    this.stream.write(`${CLEAR_LINE}${ProgressBar.render(this.done, this.total)}`);
    this.shown = true;
  }
}
