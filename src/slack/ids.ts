/**
 * Every Slack identifier ratewatch and its app manifest share: the slash command, action ids of buttons, block
 * ids, and the metadata event type that marks the bot's own messages. Builders and listeners import them from
 * here, so a renamed button cannot leave its listener behind.
 */
export const COMMAND = '/alerts';

/** action_id of each button. */
export const ACTION = {
  acknowledge: 'alert_acknowledge',
  resolve: 'alert_resolve',
  previousPage: 'alerts_page_previous',
  nextPage: 'alerts_page_next',
} as const;

/** block_id of blocks that carry buttons (row blocks add the alert id: `alert_row_12`). */
export const BLOCK = {
  cardActions: 'alert_card_actions',
  rowActions: 'alert_row',
  pager: 'alerts_pager',
} as const;

/**
 * `metadata.event_type` of every message the bot posts; `event_payload.key` holds the message key, so a job
 * that cannot tell whether its post went through can find the message instead of posting it again.
 */
export const MESSAGE_EVENT_TYPE = 'ratewatch_message';

/** The block id of a list row's buttons. */
export function rowBlockId(alertId: number): string {
  return `${BLOCK.rowActions}_${alertId}`;
}
