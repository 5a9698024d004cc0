import type { Alert } from '../../alerts/alert.js';
import { count, percent } from '../../alerts/alert-text.js';
import type { Finding } from '../../detection/types.js';
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

const SECTION_MAX = 2900;

/**
 * The alert card (at most 8 blocks): severity and title, source / environment / metric, observed vs expected
 * with the counts behind them and the excess, score and models, the window in UTC and on the source's clock,
 * the alert id and its status, and the buttons it still offers. Pure; everything user-controlled is escaped.
 */
export function alertCard(alert: Alert, ctx: CardContext): SlackMessage {
  const finding = alert.lastFinding;
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

function findingBlocks(alert: Alert, f: Finding, timeZone: string): Block[] {
  const c = f.counts;
  const observed =
    alert.metric === 'traffic'
      ? `${count(c.observed)} transactions`
      : `${percent(f.observedRate, 1)} — ${count(c.observed)} of ${count(c.total)}`;
  const expected =
    alert.metric === 'traffic'
      ? `≈ ${count(c.expected)} transactions`
      : `${percent(f.expectedRate, 1)} — ≈ ${count(c.expected)}`;
  const models = f.models.map(escapeText).join(', ') || 'n/a';
  const window = `*Window* ${utcWindow(f.windowStart, f.windowEnd)}`;
  const local = `*Local* ${escapeText(localWindow(f.windowStart, f.windowEnd, timeZone))}`;
  return [
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Observed*\n${observed}` },
        { type: 'mrkdwn', text: `*Expected*\n${expected}` },
        { type: 'mrkdwn', text: `*Excess*\n${escapeText(alert.summary ?? count(c.excess))}` },
        { type: 'mrkdwn', text: `*Score*\n${f.score.toFixed(1)} (${models})` },
      ],
    },
    section(`${window}\n${local}`),
  ];
}

function externalBlocks(alert: Alert): Block[] {
  return alert.summary ? [section(truncate(escapeText(alert.summary), SECTION_MAX))] : [];
}
