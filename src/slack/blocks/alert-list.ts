import type { Alert, AlertFilter } from '../../alerts/alert.js';
import { escapeText, truncate } from '../escape.js';
import { ACTION, BLOCK, rowBlockId } from '../ids.js';
import { utcTime } from '../time-text.js';
import {
  actionButtons,
  alertLabel,
  type Block,
  context,
  type SlackMessage,
  severityBadge,
  statusLine,
} from './common.js';

/** One page of `/alerts list`: what was asked for and what came back. */
export interface AlertPage {
  readonly filter: AlertFilter;
  readonly limit: number;
  readonly offset: number;
  readonly alerts: readonly Alert[];
  /** How many alerts match the filter in all. */
  readonly total: number;
}

/** What a page button carries (kept short: a button value holds at most 2,000 characters). */
export interface PageValue {
  readonly f: AlertFilter;
  readonly l: number;
  readonly o: number;
}

/**
 * The ephemeral answer to `/alerts list`: the filter and the true total, one row per alert (newest first) with
 * its own Acknowledge / Resolve buttons, and Previous / Next buttons. At most 2 + 2 × 20 + 1 blocks. Pure.
 */
export function alertListMessage(page: AlertPage): SlackMessage {
  const { alerts, total, offset } = page;
  const shown = alerts.length === 0 ? 'none' : `${offset + 1}–${offset + alerts.length}`;
  const summary = `*${total} alert${total === 1 ? '' : 's'}* ${describeFilter(page.filter)} · showing ${shown}, newest first`;
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: summary } }];
  for (const alert of alerts) blocks.push(...row(alert));
  if (alerts.length === 0) blocks.push(context('Nothing matches. Try `/alerts list` without filters.'));
  const pager = pagerButtons(page);
  if (pager.length > 0) blocks.push({ type: 'actions', block_id: BLOCK.pager, elements: pager });
  return { text: `${total} alerts ${describeFilter(page.filter)}`, blocks };
}

/** `matching status:new source:card-eu`, escaped, or `(all)`. */
export function describeFilter(filter: AlertFilter): string {
  const parts = Object.entries({
    status: filter.status,
    severity: filter.severity,
    source: filter.source,
    env: filter.environment,
    api: filter.api,
  })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}:${escapeText(String(value))}`);
  return parts.length > 0 ? `matching \`${parts.join(' ')}\`` : '(all)';
}

function row(alert: Alert): Block[] {
  const text = truncate(
    `*#${alert.id}* ${severityBadge(alert)} ${alertLabel(alert)}\n${escapeText(alert.title)}\n` +
      `_${statusLine(alert)} · first seen ${utcTime(alert.firstSeenAt, true)}_`,
    2900,
  );
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  const buttons = actionButtons(alert);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: rowBlockId(alert.id), elements: buttons });
  return blocks;
}

function pagerButtons(page: AlertPage) {
  const buttons = [];
  const value = (offset: number) =>
    JSON.stringify({ f: page.filter, l: page.limit, o: offset } satisfies PageValue);
  if (page.offset > 0) {
    buttons.push({
      type: 'button' as const,
      action_id: ACTION.previousPage,
      text: { type: 'plain_text' as const, text: '◀ Previous' },
      value: value(Math.max(0, page.offset - page.limit)),
    });
  }
  if (page.offset + page.alerts.length < page.total) {
    buttons.push({
      type: 'button' as const,
      action_id: ACTION.nextPage,
      text: { type: 'plain_text' as const, text: 'Next ▶' },
      value: value(page.offset + page.limit),
    });
  }
  return buttons;
}
