/**
 * The relay's ceiling on requests in flight over all clients (RFC 9230 §11.1: "it is
 * expected that Proxies either implement some form of rate limiting or client
 * authentication to limit abuse"), and what a drain waits on. The per-client token
 * buckets are the server core's `ClientRateLimiter`.
 */

/** A counter of requests in flight with a ceiling. */
export class InFlightGate {
  private count = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly max: number) {}

  tryEnter(): boolean {
    if (this.count >= this.max) return false;
    this.count += 1;
    return true;
  }

  leave(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  get active(): number {
    return this.count;
  }

  /** Resolves once nothing is in flight. */
  whenIdle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
