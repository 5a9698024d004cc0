import type { RawListener } from './server.js';

export interface RequestAgeOptions {
  /** The header holding the request's signed timestamp, in epoch seconds (Slack: `x-slack-request-timestamp`). */
  readonly header: string;
  /** How far the timestamp may be from now, either way. */
  readonly maxSkewSeconds: number;
  /** The wall clock, in epoch milliseconds: a signed timestamp is about real time, not the app's clock. */
  readonly nowMs: () => number;
}

/**
 * Refuses (401) a request whose signed timestamp is missing or further than `maxSkewSeconds` from now in
 * either direction, before `listener` sees it. Slack's verification rules ask for both directions; Bolt's
 * receiver checks only the past, so a signed request captured now could be replayed whenever its future
 * timestamp comes due. The signature itself is still `listener`'s to check (it covers the timestamp).
 */
export function refuseStaleRequests(listener: RawListener, options: RequestAgeOptions): RawListener {
  return (req, res) => {
    const raw = req.headers[options.header];
    const seconds = typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
    const skew = Math.abs(options.nowMs() / 1000 - seconds);
    if (Number.isFinite(skew) && skew <= options.maxSkewSeconds) {
      listener(req, res);
      return;
    }
    req.resume(); // the body is not read: drain it so the connection can be reused
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: 'unauthorized',
        message: `${options.header} must be within ${options.maxSkewSeconds / 60} minutes of now`,
      }),
    );
  };
}
