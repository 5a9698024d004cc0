import { describe, expect, it } from 'vitest';
import { fitText, subtitle } from '../../src/charts/chart-header.js';
import { exampleChartInput } from '../../src/charts/example-chart.js';

/** One px per character: easy to count by hand. */
const perChar = (text: string) => [...text].length;

describe('fitText', () => {
  it('keeps a title that fits', () => {
    expect(fitText('card-eu · failed', 16, '', perChar)).toBe('card-eu · failed');
  });

  it('cuts a title that does not, and ends it with …', () => {
    // 'card-eu · fa' + '…' is 13 px wide; one more character would be 14.
    expect(fitText('card-eu · failed rate', 13, '', perChar)).toBe('card-eu · fa…');
  });

  it('does not end the cut on a space', () => {
    expect(fitText('card-eu (production)', 9, '', perChar)).toBe('card-eu…');
  });
});

describe('subtitle', () => {
  const input = exampleChartInput();

  it('names the zone of the times and the last instant shown', () => {
    expect(subtitle(input)).toBe('Times in Europe/Berlin (UTC+1), up to 19:41');
  });

  it('starts with the unit for volumes', () => {
    expect(subtitle({ ...input, valueAxis: { kind: 'count', unit: 'calls per hour' } })).toBe(
      'calls per hour · times in Europe/Berlin (UTC+1), up to 19:41',
    );
  });
});
