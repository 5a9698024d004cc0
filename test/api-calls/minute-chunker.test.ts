import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/api-calls/aggregate-calls.js';
import { createMinuteChunker, type LogChunk } from '../../src/api-calls/minute-chunker.js';

const T0 = Date.parse('2026-12-04T18:00:00Z');
const options = {
  fileId: 'f1',
  source: 'checkout-api',
  environment: 'production',
  reorderMinutes: 2,
  maxLateSummaries: 100,
};
const call = (minute: number, api = 'GET /x'): CallRecord => ({
  atMs: T0 + minute * 60_000 + 1_500,
  source: 'checkout-api',
  environment: 'production',
  api,
  status: 200,
  responseMs: 20,
  payloadValid: true,
});

/** Feeds calls at these minutes (line numbers from 2, after a header) and returns every chunk in order. */
function chunksOf(minutes: readonly number[], chunkerOptions = options): LogChunk[] {
  const chunker = createMinuteChunker(chunkerOptions);
  const chunks = minutes.flatMap((minute, i) => [...chunker.add(call(minute), i + 2)]);
  return [...chunks, ...chunker.finish()];
}
const shape = (chunks: LogChunk[]) =>
  chunks.map((c) => ({
    minute: (c.minuteMs - T0) / 60_000,
    late: c.late,
    lines: [c.firstLine, c.lastLine, c.lineCount],
  }));

describe('createMinuteChunker', () => {
  it('emits a minute once a line more than the window later arrives, and the rest at the end', () => {
    const chunker = createMinuteChunker(options);
    expect(chunker.add(call(0), 2)).toEqual([]);
    expect(chunker.add(call(2), 3)).toEqual([]);
    expect(shape([...chunker.add(call(3), 4)])).toEqual([{ minute: 0, late: false, lines: [2, 2, 1] }]);
    expect(shape(chunker.finish())).toEqual([
      { minute: 2, late: false, lines: [3, 3, 1] },
      { minute: 3, late: false, lines: [4, 4, 1] },
    ]);
  });

  it('lets a line up to the window behind join its open minute', () => {
    expect(shape(chunksOf([0, 1, 2, 0, 3]))).toEqual([
      { minute: 0, late: false, lines: [2, 5, 2] },
      { minute: 1, late: false, lines: [3, 3, 1] },
      { minute: 2, late: false, lines: [4, 4, 1] },
      { minute: 3, late: false, lines: [6, 6, 1] },
    ]);
  });

  it('puts a line further behind into a late chunk of its minute, which adds again under its own key', () => {
    const chunks = chunksOf([0, 5, 0, 0, 6]);
    expect(shape(chunks)).toEqual([
      { minute: 0, late: false, lines: [2, 2, 1] },
      { minute: 0, late: true, lines: [4, 5, 2] },
      { minute: 5, late: false, lines: [3, 3, 1] },
      { minute: 6, late: false, lines: [6, 6, 1] },
    ]);
    expect(new Set(chunks.map((c) => c.key)).size).toBe(4);
    expect(chunks[1]?.minutes[0]?.calls).toEqual([2, 0, 0, 0, 0]);
  });

  it('emits late lines early when they pile up, so memory stays bounded', () => {
    const chunker = createMinuteChunker({ ...options, maxLateSummaries: 2 });
    chunker.add(call(10), 2);
    expect(chunker.add(call(0, 'GET /a'), 3)).toEqual([]);
    expect(shape([...chunker.add(call(1, 'GET /b'), 4)])).toEqual([
      { minute: 0, late: true, lines: [3, 3, 1] },
      { minute: 1, late: true, lines: [4, 4, 1] },
    ]);
  });

  it('sums each minute per environment and api, sorted', () => {
    const chunker = createMinuteChunker(options);
    chunker.add(call(0, 'POST /b'), 2);
    chunker.add(call(0, 'GET /a'), 3);
    chunker.add({ ...call(0, 'GET /a'), status: 503, responseMs: 30000 }, 4);
    const [chunk] = chunker.finish();
    expect(chunk?.minutes.map((m) => [m.api, m.calls, m.latency[9]])).toEqual([
      ['GET /a', [1, 0, 0, 1, 0], 1],
      ['POST /b', [1, 0, 0, 0, 0], 0],
    ]);
  });

  describe('its keys', () => {
    it('are the same for the same lines, and differ for another file, source or environment', () => {
      const keys = (o = options) => chunksOf([0, 1, 4, 9], o).map((c) => c.key);
      expect(keys()).toEqual(keys());
      expect(keys()[0]).toMatch(/^log_[0-9a-f]{40}$/);
      for (const other of [{ fileId: 'f2' }, { source: 'ledger-api' }, { environment: 'staging' }])
        expect(keys({ ...options, ...other })).not.toContain(keys()[0]);
    });
  });
});
