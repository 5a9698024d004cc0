import { describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../src/ingest/coalesce-writes.js';

/** A write that records what it was given and finishes only when the test says so. */
function controlledWrite() {
  const calls: { rows: readonly number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const load = { inFlight: 0, mostInFlight: 0 };
  const write = (rows: readonly number[]) => {
    load.inFlight++;
    load.mostInFlight = Math.max(load.mostInFlight, load.inFlight);
    return new Promise<void>((resolve, reject) => {
      calls.push({ rows: [...rows], finish: resolve, fail: reject });
    }).finally(() => load.inFlight--);
  };
  return { calls, write, load };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesceWrites', () => {
  describe('when calls do not overlap', () => {
    it('writes each on its own, at once', async () => {
      const { calls, write } = controlledWrite();
      const coalesced = coalesceWrites(write, { lanes: 2, maxRows: 100 });
      const first = coalesced([1, 2]);
      expect(calls.map((c) => c.rows)).toEqual([[1, 2]]);
      calls[0]?.finish();
      await first;
      const second = coalesced([3]);
      expect(calls.map((c) => c.rows)).toEqual([[1, 2], [3]]);
      calls[1]?.finish();
      await second;
    });
  });

  describe('when calls arrive while every lane is busy', () => {
    it('writes the waiting calls together, oldest first, and resolves each with that write', async () => {
      const { calls, write } = controlledWrite();
      const coalesced = coalesceWrites(write, { lanes: 1, maxRows: 100 });
      const done: string[] = [];
      const track = (name: string, promise: Promise<void>) => promise.then(() => done.push(name));
      const a = track('a', coalesced([1]));
      const b = track('b', coalesced([2, 3]));
      const c = track('c', coalesced([4]));
      expect(calls.map((call) => call.rows)).toEqual([[1]]);

      calls[0]?.finish();
      await a;
      await settle();
      expect(calls.map((call) => call.rows)).toEqual([[1], [2, 3, 4]]);
      expect(done).toEqual(['a']);

      calls[1]?.finish();
      await Promise.all([b, c]);
      expect(done).toEqual(['a', 'b', 'c']);
    });

    it('never runs more writes at once than it has lanes', async () => {
      const { calls, write, load } = controlledWrite();
      const coalesced = coalesceWrites(write, { lanes: 2, maxRows: 1 });
      const all = [coalesced([1]), coalesced([2]), coalesced([3]), coalesced([4])];
      expect(calls).toHaveLength(2);
      calls[0]?.finish();
      await all[0];
      await settle();
      expect(calls).toHaveLength(3);
      for (const call of calls.slice(1)) call.finish();
      await settle();
      calls[3]?.finish();
      await Promise.all(all);
      expect(calls.map((call) => call.rows)).toEqual([[1], [2], [3], [4]]);
      expect(load.mostInFlight).toBe(2);
    });

    it('merges only up to maxRows, and never splits a call bigger than that', async () => {
      const { calls, write } = controlledWrite();
      const coalesced = coalesceWrites(write, { lanes: 1, maxRows: 3 });
      const all = [
        coalesced([0]),
        coalesced([1, 2]),
        coalesced([3]),
        coalesced([4, 5, 6, 7]),
        coalesced([8]),
      ];
      for (let i = 0; i < 4; i++) {
        calls[i]?.finish();
        await settle();
      }
      await Promise.all(all);
      expect(calls.map((call) => call.rows)).toEqual([[0], [1, 2, 3], [4, 5, 6, 7], [8]]);
    });
  });

  describe('when a merged write fails', () => {
    it('rejects every call it carried with its error, and the calls after it still go through', async () => {
      const { calls, write } = controlledWrite();
      const coalesced = coalesceWrites(write, { lanes: 1, maxRows: 100 });
      const first = coalesced([1]);
      const second = coalesced([2]);
      const third = coalesced([3]);
      calls[0]?.finish();
      await first;
      await settle();
      const outage = new Error('connection lost');
      calls[1]?.fail(outage);
      await expect(second).rejects.toBe(outage);
      await expect(third).rejects.toBe(outage);

      const later = coalesced([4]);
      calls[2]?.finish();
      await expect(later).resolves.toBeUndefined();
    });
  });
});
