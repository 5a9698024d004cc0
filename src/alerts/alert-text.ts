import type { Finding } from '../detection/types.js';

const STATUS_NOUNS: Record<string, string> = {
  failed: 'failures',
  denied: 'declines',
  reversed: 'reversals',
};

/** "failed rate 3.1% (expected 0.9%)" or "traffic down 92% (120 vs ≈1,500 expected)": the alert's title. */
export function findingTitle(finding: Finding): string {
  if (finding.metric === 'traffic') {
    const change = finding.observedRate / Math.max(finding.expectedRate, 1e-9) - 1;
    const word = finding.direction === 'down' ? 'down' : 'up';
    return `traffic ${word} ${percent(Math.abs(change), 0)} (${count(finding.counts.observed)} vs ≈${count(finding.counts.expected)} expected)`;
  }
  return `${finding.metric} rate ${percent(finding.observedRate, 1)} (expected ${percent(finding.expectedRate, 1)})`;
}

/** "≈ 1,240 more declines than expected (1,530 of 18,200 transactions)": the excess in transactions. */
export function findingExcess(finding: Finding): string {
  const { observed, excess, total } = finding.counts;
  if (finding.metric === 'traffic') {
    return `≈ ${count(Math.abs(excess))} ${excess < 0 ? 'fewer' : 'more'} transactions than expected`;
  }
  const noun = STATUS_NOUNS[finding.metric] ?? `${finding.metric} transactions`;
  return `≈ ${count(excess)} more ${noun} than expected (${count(observed)} of ${count(total)} transactions)`;
}

export function percent(value: number, digits: number): string {
  return `${(value * 100).toFixed(digits)}%`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
