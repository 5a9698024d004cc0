/**
 * The q-quantile (0 ≤ q ≤ 1) of the values by linear interpolation between order statistics
 * (Hyndman–Fan type 7, numpy's default): position (n − 1)·q in the sorted values.
 * Null for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (high - low) * (position - below);
}
