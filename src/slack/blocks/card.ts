import type { Alert } from '../../alerts/alert.js';
import { count, percent } from '../../alerts/alert-text.js';
import { escapeText, truncate } from '../escape.js';
import { BLOCK } from '../ids.js';
import { localWindow, utcWindow } from '../time-text.js';
import {
  actionButtons,
  alertLabel,
  type Block,
  context,
  type SlackMessage,
  section,
  severityBadge,
  statusLine,
} from './common.js';

/** What a card shows besides the alert itself. */
export interface CardContext {
  /** The source's time zone (from its profile), for the window on its own clock. */
  readonly timeZone: string;
  /** Said when Slack could not deliver the alert at first and email carried it meanwhile. */
  readonly fallbackNote?: string | undefined;
}

/** The findings JSON fields a card reads (see src/detection/finding-json.ts). */
interface FindingView {
  readonly observed_rate?: number;
  readonly expected_rate?: number;
  readonly score?: number;
  readonly models?: readonly string[];
  readonly window_start?: string;
  readonly window_end?: string;
  readonly counts?: { observed?: number; expected?: number; excess?: number; total?: number };
}

const SECTION_MAX = 2900;

/**
 * The alert card (at most 8 blocks): severity and title, source / environment / metric, observed vs expected
 * with the counts behind them and the excess, score and models, the window in UTC and on the source's clock,
 * the alert id and its status, and the buttons it still offers. Pure; everything user-controlled is escaped.
 */
export function alertCard(alert: Alert, ctx: CardContext): SlackMessage {
  const finding = (alert.lastFinding ?? null) as FindingView | null;
  const blocks: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${severityBadge(alert)} ${alert.title}`, 150),
        emoji: true,
      },
    },
    section(`*${alertLabel(alert)}*`),
    ...(finding ? findingBlocks(alert, finding, ctx.timeZone) : externalBlocks(alert)),
    context(`Alert #${alert.id} · ${statusLine(alert)}`),
  ];
  if (ctx.fallbackNote) blocks.push(context(`:envelope: ${ctx.fallbackNote}`));
  const buttons = actionButtons(alert);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: BLOCK.cardActions, elements: buttons });
  return { text: cardText(alert), blocks };
}

/** The notification line: `[HIGH] card-eu / production · failed: failed rate 31.0% (expected 5.0%)`. */
export function cardText(alert: Alert): string {
  const state = alert.status === 'resolved' ? 'RESOLVED' : alert.severity.toUpperCase();
  return `[${state}] ${alertLabel(alert)}: ${escapeText(alert.title)}`;
}

function findingBlocks(alert: Alert, f: FindingView, timeZone: string): Block[] {
  const traffic = alert.metric === 'traffic';
  const c = f.counts ?? {};
  const observed = traffic
    ? `${count(c.observed ?? 0)} transactions`
    : `${percent(f.observed_rate ?? 0, 1)} — ${count(c.observed ?? 0)} of ${count(c.total ?? 0)}`;
  const expected = traffic
    ? `≈ ${count(c.expected ?? 0)} transactions`
    : `${percent(f.expected_rate ?? 0, 1)} — ≈ ${count(c.expected ?? 0)}`;
  const models = (f.models ?? []).map(escapeText).join(', ') || 'n/a';
  const blocks: Block[] = [
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Observed*\n${observed}` },
        { type: 'mrkdwn', text: `*Expected*\n${expected}` },
        { type: 'mrkdwn', text: `*Excess*\n${escapeText(alert.summary ?? `${count(c.excess ?? 0)}`)}` },
        { type: 'mrkdwn', text: `*Score*\n${(f.score ?? 0).toFixed(1)} (${models})` },
      ],
    },
  ];
  if (f.window_start && f.window_end) {
    const start = new Date(f.window_start);
    const end = new Date(f.window_end);
    blocks.push(
      section(`*Window* ${utcWindow(start, end)}\n*Local* ${escapeText(localWindow(start, end, timeZone))}`),
    );
  }
  return blocks;
}

function externalBlocks(alert: Alert): Block[] {
  return alert.summary ? [section(truncate(escapeText(alert.summary), SECTION_MAX))] : [];
}
