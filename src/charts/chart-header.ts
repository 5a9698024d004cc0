import type { GraphicComponentOption } from 'echarts';
import type { AlertChartInput } from './alert-chart-input.js';
import { FONT_FAMILY } from './bundled-font.js';
import { CHART, COLOURS, SEVERITY_COLOURS } from './chart-style.js';
import { localTimeLabel, zoneLabel } from './time-axis.js';

/** Width in px of text in a CSS font (`600 17px Inter`). */
export type Measure = (text: string, cssFont: string) => number;
type Element = GraphicComponentOption;

const MARGIN = 16;
const STRIPE_HEIGHT = 5;
const HEADLINE_Y = 28;
const SUBTITLE_Y = 51;
const BADGE = { padX: 7, height: 19, gap: 10 } as const;

/** The accent stripe, the severity badge, the title (cut with … when too long) and the line under it. */
export function headerGraphics(input: AlertChartInput, measure: Measure): Element[] {
  const accent = SEVERITY_COLOURS[input.severity];
  const badgeFont = `600 ${CHART.font.badge}px`;
  const badgeText = input.severity.toUpperCase();
  const badgeWidth = measure(badgeText, badgeFont) + 2 * BADGE.padX;
  const titleX = MARGIN + badgeWidth + BADGE.gap;
  const titleFont = `600 ${CHART.font.title}px`;
  return [
    rect(0, 0, CHART.width, STRIPE_HEIGHT, accent),
    rect(MARGIN, HEADLINE_Y - BADGE.height / 2, badgeWidth, BADGE.height, accent, 4),
    text(MARGIN + BADGE.padX, HEADLINE_Y, badgeText, {
      fill: '#ffffff',
      fontSize: CHART.font.badge,
      weight: 600,
    }),
    text(titleX, HEADLINE_Y, fitText(input.title, CHART.width - MARGIN - titleX, titleFont, measure), {
      fill: COLOURS.title,
      fontSize: CHART.font.title,
      weight: 600,
    }),
    text(MARGIN, SUBTITLE_Y, subtitle(input), { fill: COLOURS.text, fontSize: CHART.font.subtitle }),
  ];
}

/** `Times in Europe/Berlin (UTC+1), up to 19:41`, after the unit of volumes (`transactions per hour · times …`): the unit, and the zone of the times. */
export function subtitle(input: AlertChartInput): string {
  const unit = input.valueAxis.kind === 'count' ? `${input.valueAxis.unit} · ` : '';
  const zone = zoneLabel(input.from, input.to, input.timeZone);
  return `${unit}${unit ? 'times' : 'Times'} in ${zone}, up to ${localTimeLabel(input.to, input.to, input.timeZone)}`;
}

/** The text, cut at a character boundary and ended with … when it is wider than `maxWidth`. */
export function fitText(value: string, maxWidth: number, cssFont: string, measure: Measure): string {
  if (measure(value, cssFont) <= maxWidth) return value;
  const chars = [...value];
  while (chars.length > 0 && measure(`${chars.join('')}…`, cssFont) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, radius = 0): Element {
  return { type: 'rect', silent: true, shape: { x, y, width, height, r: radius }, style: { fill } };
}

export interface TextStyle {
  readonly fill: string;
  readonly fontSize: number;
  readonly weight?: number;
  readonly align?: 'left' | 'right' | 'center';
  readonly background?: string;
}

/** A text whose left (or right, centre) edge is at x and whose middle is at y, above the plot's lines. */
export function text(x: number, y: number, value: string, style: TextStyle): Element {
  return {
    type: 'text',
    silent: true,
    z: 100,
    x,
    y,
    style: {
      text: value,
      fontFamily: FONT_FAMILY,
      fill: style.fill,
      fontSize: style.fontSize,
      fontWeight: style.weight ?? 400,
      align: style.align ?? 'left',
      verticalAlign: 'middle',
      ...(style.background ? { backgroundColor: style.background, padding: [2, 3] } : {}),
    },
  };
}
