/**
 * Keeps every server's ODOHCFG record (DESIGN §4, §7) in step with the key the server
 * really serves. A server announces its ObliviousDoHConfigs in an `odoh configs` log line
 * at start and after each rotation (RFC 9230 §5: daily); when one differs from what the
 * apex overlay holds, the overlay is rewritten and the root reloaded (SIGHUP) so that it
 * re-signs the record — the supervisor's steps 2 and 3 of docs/OPERATIONS.md "How a
 * rotation reaches the record". Republishing is serialized, and changes seen while one
 * runs are folded into the next.
 */
import { configsFromLog, type OdohConfigs, sameConfigs } from './odoh-keys.js';
import type { LogLine, ServerProcess } from './server-process.js';

export class OdohPublisher {
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private readonly changed = new Set<string>();
  private readonly unsubscribes: (() => void)[] = [];

  /**
   * @param published what the overlay holds, by server name; updated in place.
   * @param republish rewrite the overlay from `published` and reload the root.
   * @param report one line per republish, or per failure, for a person to read.
   */
  constructor(
    private readonly published: Map<string, OdohConfigs>,
    private readonly republish: () => Promise<void>,
    private readonly report: (message: string) => void = () => {},
  ) {}

  /** Follow `process`, the server `name`: the lines it has logged already, then every new one. */
  watch(name: string, process: Pick<ServerProcess, 'lines' | 'onLog'>): void {
    for (const line of process.lines) this.observe(name, line);
    this.unsubscribes.push(process.onLog((line) => this.observe(name, line)));
  }

  /** One log line of the server `name`. */
  observe(name: string, line: LogLine): void {
    const configs = configsFromLog(line);
    if (configs === undefined || sameConfigs(this.published.get(name), configs)) return;
    this.published.set(name, configs);
    this.changed.add(name);
    if (this.queued) return;
    this.queued = true;
    this.chain = this.chain.then(() => this.run());
  }

  /** Stop following the servers; resolves once a republish under way has finished. */
  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.chain;
  }

  /** Resolves when every change seen so far is published (or its failure reported). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async run(): Promise<void> {
    this.queued = false;
    const names = [...this.changed].sort().join(', ');
    this.changed.clear();
    try {
      await this.republish();
      this.report(`new odoh key of ${names} published (ODOHCFG re-signed by the root)`);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.report(`new odoh key of ${names} not published: ${why}`);
    }
  }
}
