/**
 * A fixed-bucket latency histogram per transport, cheap enough for every query: an
 * observation is a short scan of the bucket bounds and two additions, with no label
 * hashing. It is exposed through prom-client's registry as a Prometheus histogram
 * (text format 0.0.4: cumulative `_bucket{le=...}`, `_sum`, `_count`).
 */
import type { Metric } from 'prom-client';

export class LatencyHistogram {
  private readonly counts: Float64Array;
  private readonly sums: Float64Array;
  private readonly totals: Float64Array;

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds in seconds, ascending; +Inf is implied. */
    private readonly bounds: readonly number[],
    private readonly labelName: string,
    private readonly labelValues: readonly string[],
  ) {
    this.counts = new Float64Array(labelValues.length * (bounds.length + 1));
    this.sums = new Float64Array(labelValues.length);
    this.totals = new Float64Array(labelValues.length);
  }

  /** Record one observation for the label at `index`. */
  observe(index: number, seconds: number): void {
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]!) bucket++;
    this.counts[index * (this.bounds.length + 1) + bucket]! += 1;
    this.sums[index]! += seconds;
    this.totals[index]! += 1;
  }

  /** The metric object prom-client's Registry formats (it calls `get()` on scrape). */
  asMetric(): Metric {
    const metric = {
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: this.name,
        help: this.help,
        type: 'histogram',
        aggregator: 'sum',
        values: this.values(),
      }),
      reset: () => {
        this.counts.fill(0);
        this.sums.fill(0);
        this.totals.fill(0);
      },
    };
    return metric as unknown as Metric;
  }

  private values(): { labels: Record<string, string | number>; value: number; metricName: string }[] {
    const out: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    const width = this.bounds.length + 1;
    this.labelValues.forEach((labelValue, index) => {
      let cumulative = 0;
      for (let bucket = 0; bucket < width; bucket++) {
        cumulative += this.counts[index * width + bucket]!;
        const le = bucket < this.bounds.length ? this.bounds[bucket]! : '+Inf';
        out.push({
          labels: { le, [this.labelName]: labelValue },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      }
      out.push({
        labels: { [this.labelName]: labelValue },
        value: this.sums[index]!,
        metricName: `${this.name}_sum`,
      });
      out.push({
        labels: { [this.labelName]: labelValue },
        value: this.totals[index]!,
        metricName: `${this.name}_count`,
      });
    });
    return out;
  }
}
