import type { RenderedImage } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { AlertChartInput, ExpectedPoint, ObservedPoint } from '../../src/charts/alert-chart-input.js';
import { EXAMPLE_NOW, exampleChartInput } from '../../src/charts/example-chart.js';
import { alertChartSvg, rasterise, renderAlertChart } from '../../src/charts/render-alert-chart.js';

const HOUR = 3_600_000;
const example = exampleChartInput();

/** Pixels of a logical-px box (the PNG is at 2×) that match `test`. */
function countPixels(
  image: RenderedImage,
  box: { x: number; y: number; width: number; height: number },
  test: (r: number, g: number, b: number) => boolean,
): number {
  const pixels = image.pixels;
  let count = 0;
  for (let y = box.y * 2; y < (box.y + box.height) * 2; y++) {
    for (let x = box.x * 2; x < (box.x + box.width) * 2; x++) {
      const i = (y * image.width + x) * 4;
      if (test(pixels[i] ?? 255, pixels[i + 1] ?? 255, pixels[i + 2] ?? 255)) count++;
    }
  }
  return count;
}
const dark = (r: number, g: number, b: number) => r < 110 && g < 120 && b < 140;
const TITLE_BOX = { x: 120, y: 16, width: 480, height: 24 };
const VALUE_LABELS_BOX = { x: 0, y: 80, width: 38, height: 225 };

/** A flat 1 % series over 48 hours whose band exists only for the last 24 hours (the first day: cold start). */
function coldStartInput(): AlertChartInput {
  const from = EXAMPLE_NOW - 48 * HOUR;
  const observed: ObservedPoint[] = [];
  const expected: ExpectedPoint[] = [];
  for (let start = from; start < EXAMPLE_NOW; start += HOUR) {
    const warm = start >= EXAMPLE_NOW - 24 * HOUR;
    observed.push({ start, minutes: 60, value: 0.01 });
    expected.push({
      start,
      minutes: 60,
      expected: warm ? 0.01 : null,
      low: warm ? 0.004 : null,
      high: warm ? 0.02 : null,
    });
  }
  return { ...example, observed, expected, alertWindow: undefined };
}

describe('renderAlertChart', () => {
  it('renders a 1280 × 720 PNG', async () => {
    const png = await renderAlertChart(example);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 720]);
  });

  it('gives the same bytes for the same input, as PNG and as SVG', async () => {
    const [first, second] = [await renderAlertChart(example), await renderAlertChart(example)];
    expect(first.equals(second)).toBe(true);
    expect(alertChartSvg(example)).toBe(alertChartSvg(example));
  });

  it('is the SVG rasterised with the bundled font (what the text checks below look at)', async () => {
    expect((await renderAlertChart(example)).equals(rasterise(alertChartSvg(example)).asPng())).toBe(true);
  });

  describe('text', () => {
    const svg = alertChartSvg(example);

    it('is really drawn: the title and the value labels are there with the bundled font', () => {
      const image = rasterise(svg);
      expect(countPixels(image, TITLE_BOX, dark)).toBeGreaterThan(1_000);
      expect(countPixels(image, VALUE_LABELS_BOX, dark)).toBeGreaterThan(200);
    });

    it('would vanish without a font (what a slim container does), which is why the font is bundled', () => {
      const image = rasterise(svg, []);
      expect(countPixels(image, TITLE_BOX, dark)).toBe(0);
      expect(countPixels(image, VALUE_LABELS_BOX, dark)).toBe(0);
    });

    it('says what, where and when: title, severity, zone, times, values', () => {
      for (const text of [
        'card-eu (production) · failed rate',
        'CRITICAL',
        'Times in Europe/Berlin (UTC+1), up to 19:41',
        'last 48 hours',
        'last 6 hours',
        'Sat 21',
        'alert since 18:40',
        '>2 %<',
        '>3.8 %<',
      ]) {
        expect(svg).toContain(text);
      }
    });
  });

  describe('when there is no data at all', () => {
    const empty: AlertChartInput = { ...example, observed: [], expected: [], alertWindow: undefined };

    it('draws a chart that says so instead of failing', async () => {
      expect(alertChartSvg(empty)).toContain('No data in these 48 hours');
      const image = rasterise(alertChartSvg(empty));
      expect(countPixels(image, { x: 250, y: 185, width: 140, height: 20 }, dark)).toBeGreaterThan(300);
      expect((await renderAlertChart(empty)).length).toBeGreaterThan(1_000);
    });
  });

  describe('when the models have no band yet for part of the range (cold start)', () => {
    it('shades the band only where it exists', () => {
      const image = rasterise(alertChartSvg(coldStartInput()));
      // The band's grey on white: rgba(100, 116, 139, 0.22) → about (221, 224, 230).
      const band = (r: number, g: number, b: number) =>
        Math.abs(r - 221) <= 4 && Math.abs(g - 224) <= 4 && Math.abs(b - 230) <= 4;
      // In the 48-hour panel (x ≈ 55–385): hour 8 of 48 is cold, hour 40 warm.
      expect(countPixels(image, { x: 110, y: 200, width: 6, height: 100 }, band)).toBe(0);
      expect(countPixels(image, { x: 330, y: 200, width: 6, height: 100 }, band)).toBeGreaterThan(100);
    });
  });

  describe('when the series is flat at zero', () => {
    it('still gets a readable axis (0–1 %)', () => {
      const zero: AlertChartInput = {
        ...example,
        observed: example.observed.map((p) => ({ ...p, value: 0 })),
        expected: example.expected.map((p) => ({ ...p, expected: 0, low: 0, high: 0 })),
        alertWindow: undefined,
      };
      const svg = alertChartSvg(zero);
      expect(svg).toContain('>1 %<');
      expect(svg).not.toContain('NaN');
    });
  });

  describe('when the metric is a volume in millions', () => {
    it('labels the axis compactly and names the unit', () => {
      const volume: AlertChartInput = {
        ...example,
        title: 'acquirer-gw (production) · traffic',
        valueAxis: { kind: 'count', unit: 'transactions per hour' },
        observed: example.observed.map((p) => ({
          ...p,
          value: p.start >= EXAMPLE_NOW - HOUR ? 45_000 : 1_300_000,
        })),
        expected: example.expected.map((p) => ({
          ...p,
          expected: 1_300_000,
          low: 1_100_000,
          high: 1_500_000,
        })),
      };
      const svg = alertChartSvg(volume);
      for (const text of [
        '>500k<',
        '>1M<',
        '>1.5M<',
        '>45k<',
        'transactions per hour · times in Europe/Berlin',
      ]) {
        expect(svg).toContain(text);
      }
    });
  });

  describe('when the alert started before the 48 hours shown', () => {
    it('shades from the left edge and says when it really started', () => {
      const long: AlertChartInput = {
        ...example,
        alertWindow: { start: EXAMPLE_NOW - 60 * HOUR, end: EXAMPLE_NOW },
      };
      const svg = alertChartSvg(long);
      expect(svg).toContain('alert since Thu 07:41');
      expect(svg).toContain('last 12 hours');
    });
  });

  describe('when the title is long and holds markup characters (an API such as GET /v1/a?b=1&c=<2>)', () => {
    it('escapes it and cuts it with … to fit beside the badge', async () => {
      const title =
        'checkout-api (production) · GET /v1/a?b=1&c=<2> · silent failures of a long endpoint name';
      const svg = alertChartSvg({ ...example, title });
      expect(svg).toContain('>checkout-api (production) · GET /v1/a?b=1&amp;c=&lt;2&gt; · ');
      expect(svg).toMatch(/…<\/text>/);
      expect((await renderAlertChart({ ...example, title })).length).toBeGreaterThan(1_000);
    });
  });

  describe('in another time zone', () => {
    it('labels times in the source’s zone and names it', () => {
      const svg = alertChartSvg({ ...example, timeZone: 'Asia/Kolkata' });
      expect(svg).toContain('Times in Asia/Kolkata (UTC+5:30), up to 00:11');
      expect(svg).toContain('alert since Sat 23:10');
    });
  });
});
