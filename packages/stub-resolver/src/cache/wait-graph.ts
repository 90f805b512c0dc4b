/**
 * Who waits on whom among the coalesced pieces of work of one resolver (a wait-for
 * graph, as lock managers keep to find deadlocks).
 *
 * Why: a look-up that joins work already in flight (in-flight.ts) waits for it. When two
 * resolutions each start one half of a dependency cycle — zone A whose only server host
 * lies in zone B, and B whose host lies in A, both without glue — each joins the other's
 * flight and both would wait forever. One resolution alone meets its own key again and
 * fails with `cycle` (walk-context.ts); this graph makes the concurrent case fail the
 * same way instead of hanging.
 */
export class WaitGraph {
  /** from → (to → number of waits). */
  private readonly edges = new Map<string, Map<string, number>>();

  /** Record that the work for `from` waits on the work for `to`; call the result when done. */
  wait(from: string, to: string): () => void {
    let targets = this.edges.get(from);
    if (targets === undefined) {
      targets = new Map();
      this.edges.set(from, targets);
    }
    targets.set(to, (targets.get(to) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const count = targets.get(to)! - 1;
      if (count > 0) targets.set(to, count);
      else targets.delete(to);
      if (targets.size === 0 && this.edges.get(from) === targets) this.edges.delete(from);
    };
  }

  /** True when the work for `from` waits on the work for `to`, directly or through others. */
  reaches(from: string, to: string): boolean {
    const seen = new Set<string>([from]);
    const pending = [from];
    while (pending.length > 0) {
      const current = pending.pop()!;
      if (current === to) return true;
      for (const next of this.edges.get(current)?.keys() ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    return false;
  }

  /** Number of pieces of work waiting on others (for tests). */
  get size(): number {
    return this.edges.size;
  }
}
