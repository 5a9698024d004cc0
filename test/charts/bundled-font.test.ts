import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { BUNDLED_FONT_FILES, bundledFont } from '../../src/charts/bundled-font.js';

/**
 * The advance width resvg gives the text when it draws it with the bundled font: the ink of "H…H" less the ink
 * of "HH", so the glyphs' side bearings (which the ink leaves out) count as they do in layout.
 */
function drawnWidth(text: string, cssFont: string): number {
  const [, weight, size] = /^(\d+) (\d+)px$/.exec(cssFont) ?? [];
  const ink = (content: string) => {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="60"><text x="10" y="40" font-family="Inter" ` +
      `font-size="${size}" font-weight="${weight}" xml:space="preserve">${content}</text></svg>`;
    return (
      new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [...BUNDLED_FONT_FILES] } }).getBBox()
        ?.width ?? 0
    );
  };
  return ink(`H${text}H`) - ink('HH');
}

describe('the bundled font', () => {
  it('ships with the repo, with its licence', () => {
    for (const file of BUNDLED_FONT_FILES) expect(existsSync(file)).toBe(true);
    expect(existsSync(new URL('../../assets/fonts/OFL.txt', import.meta.url))).toBe(true);
  });

  // ECharts sizes label boxes, legends and the title cut with these widths; resvg then draws the real glyphs.
  it.each([
    { text: 'card-eu (production) · failed rate', font: '600 18' },
    { text: 'alert since 18:40', font: '600 13' },
    { text: 'Times in Europe/Berlin (UTC+1), up to 19:41', font: '400 13' },
    { text: '0.75 %', font: '400 13' },
  ])('measures "$text" ($font px) as wide as resvg draws it, within 2 %', ({ text, font }) => {
    const measured = bundledFont().measure(text, `${font}px Inter`);
    expect(Math.abs(measured - drawnWidth(text, `${font}px`)) / measured).toBeLessThan(0.02);
  });

  it('measures the semibold face wider than the regular one', () => {
    const font = bundledFont();
    expect(font.measure('CRITICAL', '600 12px Inter')).toBeGreaterThan(
      font.measure('CRITICAL', '12px Inter'),
    );
  });
});
