import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import { stillThere, sustained } from '../../src/detection/sustained.js';
import { hourWindow } from './helpers/window.js';

describe('sustained', () => {
  // 2,000 transactions a block at an expected 1 %: 20 expected failures a block, judged one by one (≥ 5).
  // A block deviates at halfway to ×1.5, i.e. ×1.25: 25 or more; half the blocks, and at least two, must.
  it.each([
    ['every block raised', [50, 50, 50, 50, 50, 50], true],
    ['exactly half the blocks', [30, 30, 30, 0, 0, 0], true],
    ['two blocks of six', [30, 30, 0, 0, 0, 0], false],
    ['one burst', [300, 0, 0, 0, 0, 0], false],
  ])('a failed-rate rise with %s: %s', (_name, failed, expected) => {
    expect(sustained('failed', 'up', 0.01, hourWindow(failed), DEFAULT_DETECTION)).toBe(expected);
  });

  it.each([
    // 100 transactions a block at 1 %: 1 expected a block, too few to judge blocks one by one. Without its
    // strongest block the window must still be ×1.25 off: 5 blocks expect 5, so 7 or more failures.
    ['spread out', [3, 3, 3, 3, 3, 3], true],
    ['carried by one block', [6, 1, 1, 1, 1, 1], false],
  ])('a thin failed-rate rise %s: %s', (_name, failed, expected) => {
    const thin = hourWindow(failed);
    const blocks = thin.blocks?.map((b) => ({ ...b, total: 100 }));
    expect(sustained('failed', 'up', 0.01, { ...thin, blocks }, DEFAULT_DETECTION)).toBe(expected);
  });

  it('counts a window of one block as sustained', () => {
    expect(sustained('failed', 'up', 0.01, hourWindow([300]), DEFAULT_DETECTION)).toBe(true);
  });

  // 12,000 expected an hour, 2,000 a block. A drop deviates at halfway to ×0.6 (≤ 1,600, half the blocks);
  // a surge at halfway to ×2 (≥ 3,000, and 80 % of the blocks: 5 of 6).
  it.each([
    ['a drop in half the blocks', 'down', [1000, 1000, 1000, 2000, 2000, 2000], true],
    ['a drop in one block', 'down', [0, 2000, 2000, 2000, 2000, 2000], false],
    ['a surge in five blocks', 'up', [3000, 3000, 3000, 3000, 3000, 2000], true],
    ['a surge in four blocks', 'up', [3000, 3000, 3000, 3000, 2000, 2000], false],
  ] as const)('traffic: %s', (_name, direction, blockTotals, expected) => {
    const window = hourWindow([0, 0, 0, 0, 0, 0]);
    const total = blockTotals.reduce<number>((n, b) => n + b, 0);
    const candidate = { ...window, traffic: { total, blockTotals } };
    expect(sustained('traffic', direction, 12_000, candidate, DEFAULT_DETECTION)).toBe(expected);
  });
});

describe('stillThere: is the deviation still in the window’s last block (ticks)', () => {
  // 2,000 transactions a block at an expected 1 %: 20 expected failures a block; halfway up is 25.
  it.each([
    ['still raised in the last block', [50, 50, 50, 50], true],
    ['over: the last block back to normal', [50, 50, 50, 20], false],
    ['just halfway in the last block', [50, 50, 50, 25], true],
  ])('a failed-rate rise %s: %s', (_name, failed, expected) => {
    expect(stillThere('failed', 'up', 0.01, hourWindow(failed), DEFAULT_DETECTION)).toBe(expected);
  });

  it('cannot tell from a last block that expects under five failures, and lets it through', () => {
    const thin = hourWindow([3, 3, 3, 0]);
    const blocks = thin.blocks?.map((b) => ({ ...b, total: 100 }));
    expect(stillThere('failed', 'up', 0.01, { ...thin, blocks }, DEFAULT_DETECTION)).toBe(true);
  });
});
