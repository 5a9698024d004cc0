/** Minutes of a steady synthetic source for pipeline tests: known volume and failure rate, with chosen exceptions. */
export interface SteadyOptions {
  readonly source: string;
  /** First minute (ISO, on an hour). */
  readonly from: string;
  readonly hours: number;
  readonly perMinute: number;
  readonly failedRate: number;
  /** Overrides the failure rate for minutes whose start is in one of these [from, to) ranges. */
  readonly spikes?: readonly { from: string; to: string; failedRate: number }[];
}

/** Items for `POST /v1/counts` batches. Deterministic: counts vary by a fixed pattern, not randomly. */
export function steadyMinutes(options: SteadyOptions): Record<string, unknown>[] {
  const start = Date.parse(options.from);
  const spikes = (options.spikes ?? []).map((s) => ({
    from: Date.parse(s.from),
    to: Date.parse(s.to),
    rate: s.failedRate,
  }));
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < options.hours * 60; i++) {
    const at = start + i * 60_000;
    const total = options.perMinute + ((i * 7) % 5) - 2;
    const rate = spikes.find((s) => at >= s.from && at < s.to)?.rate ?? options.failedRate;
    // Spread failures evenly over minutes so each hour holds exactly rate × volume of them.
    const failed = Math.floor((i + 1) * total * rate) - Math.floor(i * total * rate);
    items.push({
      source: options.source,
      minute: new Date(at).toISOString(),
      counts: { approved: total - failed, failed },
    });
  }
  return items;
}
