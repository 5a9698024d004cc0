import type { Alert } from '../../alerts/alert.js';
import { alertHeadline } from '../../alerts/alert-text.js';
import { SEVERITIES } from '../../detection/types.js';
import { escapeText, truncate } from '../escape.js';
import { ACTION, COMMAND, cardBlockId } from '../ids.js';
import { utcTime } from '../time-text.js';
import { alertLabel, type Block, context, type SlackMessage, severityBadge, statusLine } from './common.js';

/** How many alerts a digest lists by name; the rest are counted. */
export const DIGEST_TOP = 5;

/**
 * One card for a storm: the count, how many of each severity and state, the top alerts by severity and score
 * (each with an Acknowledge button while new), and how to see the rest. Pure; it is re-rendered from the
 * alerts' current state whenever one of them changes.
 */
export function digestCard(alerts: readonly Alert[], hourStart: Date | null): SlackMessage {
  const sorted = [...alerts].sort(byImportance);
  const top = sorted.slice(0, DIGEST_TOP);
  const when = hourStart ? ` from the ${utcTime(hourStart, true)} evaluation` : '';
  const open = alerts.filter((a) => a.status !== 'resolved').length;
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `:rotating_light: ${alerts.length} alerts${when}`, emoji: true },
    },
    context(`${tally(alerts.map((a) => a.severity))} · ${open} still open · one card instead of a flood`),
    ...top.map(row),
  ];
  const rest = alerts.length - top.length;
  if (rest > 0) blocks.push(context(`…and ${rest} more: \`${COMMAND} list status:new\` lists them all.`));
  return { text: `${alerts.length} alerts${when}: ${top.map((a) => alertLabel(a)).join('; ')}`, blocks };
}

/** One alert of the digest, in the card's headline; its block id unique in the message and new per revision. */
function row(alert: Alert): Block {
  const text = truncate(
    `*${severityBadge(alert)}* ${escapeText(alertHeadline(alert))}\nAlert #${alert.id} · ${statusLine(alert)}`,
    2900,
  );
  const block_id = cardBlockId('digest_row', alert.id, alert.revision);
  if (alert.status !== 'new') return { type: 'section', block_id, text: { type: 'mrkdwn', text } };
  return {
    type: 'section',
    block_id,
    text: { type: 'mrkdwn', text },
    accessory: {
      type: 'button',
      action_id: ACTION.acknowledge,
      text: { type: 'plain_text', text: 'Acknowledge' },
      value: String(alert.id),
    },
  };
}

/** Highest severity first, then highest score, then newest. */
export function byImportance(a: Alert, b: Alert): number {
  const severity = SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity);
  if (severity !== 0) return severity;
  const score = scoreOf(b) - scoreOf(a);
  return score !== 0 ? score : b.id - a.id;
}

function scoreOf(alert: Alert): number {
  return alert.lastFinding?.score ?? 0;
}

function tally(severities: readonly string[]): string {
  return [...SEVERITIES]
    .reverse()
    .map((s) => [s, severities.filter((x) => x === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(' · ');
}
