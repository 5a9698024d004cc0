/** `3.1%`: a fraction as a percentage with `digits` decimals (titles). */
export function percent(value: number, digits: number): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** `1,530`: a whole count with thousands separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate as the card's headline says it: `3.8 %` (one decimal; two under 0.1 %, where one would say 0.0). */
export function rateText(rate: number): string {
  const value = rate * 100;
  return `${value.toFixed(value < 0.1 && value > 0 ? 2 : 1)} %`;
}
