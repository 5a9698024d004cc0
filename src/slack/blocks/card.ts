import type { types } from '@slack/bolt';
import type { Alert } from '../../alerts/alert.js';
import {
  alertHeadline,
  confidenceText,
  dataWindowOf,
  evaluatedText,
  findingStory,
  windowText,
} from '../../alerts/alert-text.js';
import { escapeText, truncate } from '../escape.js';
import { ACTION, cardBlockId } from '../ids.js';
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
  /** The alert page (signed link): the card's Open button. */
  readonly openUrl?: string | undefined;
  /** The source's runbook (RATEWATCH_CONFIG `sources.<name>.runbook_url`). */
  readonly runbookUrl?: string | undefined;
}

const SECTION_MAX = 2900;
/** The card's Mute choices, as `/alerts mute` durations. */
export const MUTE_CHOICES = [
  { label: '1 h', minutes: 60 },
  { label: '4 h', minutes: 240 },
  { label: '24 h', minutes: 1440 },
] as const;

/**
 * The alert card (at most 7 blocks), each fact once, in the words the email uses (src/alerts/alert-text.ts):
 * a header that names severity, source and what is off against normal; what happened in transactions; the
 * data's window on the source's clock and in UTC; how sure detection is, in words; the alert id, state, when
 * it was evaluated and the runbook; then Acknowledge, Resolve (asks for a note), Mute and Open. Block ids are
 * unique per alert and revision. Pure; everything user-controlled is escaped.
 */
export function alertCard(alert: Alert, ctx: CardContext): SlackMessage {
  const id = (part: string) => cardBlockId(part, alert.id, alert.revision);
  const blocks: Block[] = [
    {
      type: 'header',
      block_id: id('header'),
      text: { type: 'plain_text', text: truncate(cardHeader(alert), 150), emoji: true },
    },
    ...bodyBlocks(alert, ctx, id),
    { ...context(footer(alert, ctx)), block_id: id('status') },
  ];
  if (ctx.fallbackNote)
    blocks.push({ ...context(`:envelope: ${ctx.fallbackNote}`), block_id: id('fallback') });
  const elements = [...actionButtons(alert), ...(alert.status === 'resolved' ? [] : [muteMenu(alert)])];
  if (ctx.openUrl) elements.push(openButton(alert, ctx.openUrl));
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: id('actions'), elements });
  return { text: cardText(alert), blocks };
}

/** `:red_circle: CRITICAL · card-eu (production) · failed rate 3.8 % (normal 0.8 %)` (plain text: no escaping). */
export function cardHeader(alert: Alert): string {
  return `${severityBadge(alert)} · ${alertHeadline(alert)}`;
}

/** The notification line: `[HIGH] card-eu (production) · failed rate 31.0 % (normal 5.0 %)`. */
export function cardText(alert: Alert): string {
  const state = alert.status === 'resolved' ? 'RESOLVED' : alert.severity.toUpperCase();
  return `[${state}] ${escapeText(alertHeadline(alert))}`;
}

function bodyBlocks(alert: Alert, ctx: CardContext, id: (part: string) => string): Block[] {
  const f = alert.lastFinding;
  const window = dataWindowOf(alert);
  const when = `*Window* ${escapeText(windowText(window.start, window.end, ctx.timeZone))}`;
  if (!f) {
    const summary = alert.summary ? `${truncate(escapeText(alert.summary), SECTION_MAX - 300)}\n` : '';
    return [{ ...section(`*${alertLabel(alert)}*\n${summary}${when}`), block_id: id('facts') }];
  }
  return [
    { ...section(`*${escapeText(findingStory(f))}*`), block_id: id('story') },
    {
      type: 'section',
      block_id: id('facts'),
      fields: [
        { type: 'mrkdwn', text: when },
        { type: 'mrkdwn', text: `*Confidence* ${escapeText(confidenceText(f))}` },
      ],
    },
  ];
}

/** `Alert #42 · New: nobody has acknowledged it yet · evaluated 19:02 UTC · Runbook`. */
function footer(alert: Alert, ctx: CardContext): string {
  const parts = [`Alert #${alert.id}`, statusLine(alert)];
  if (alert.lastFinding) {
    const end = dataWindowOf(alert).end;
    parts.push(
      `evaluated ${evaluatedText(alert.lastFinding.windowEnd, end)} (score ${alert.lastFinding.score.toFixed(1)})`,
    );
  }
  if (ctx.runbookUrl) parts.push(`<${ctx.runbookUrl.replace(/[<>|]/g, encodeURIComponent)}|Runbook>`);
  return parts.join(' · ');
}

function muteMenu(alert: Alert): types.StaticSelect {
  return {
    type: 'static_select',
    action_id: ACTION.mute,
    placeholder: { type: 'plain_text', text: 'Mute…' },
    options: MUTE_CHOICES.map((choice) => ({
      text: { type: 'plain_text', text: `Mute ${alert.metric} for ${choice.label}` },
      value: `${alert.id}_${choice.minutes}`,
    })),
  };
}

function openButton(alert: Alert, url: string): types.Button {
  return {
    type: 'button',
    action_id: ACTION.open,
    text: { type: 'plain_text', text: 'Open' },
    url,
    value: String(alert.id),
  };
}
