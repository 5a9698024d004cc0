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
  /** The card's Mute menu (1 h, 4 h, 24 h). */
  mute: 'alert_mute',
  /** The card's Open button: a link to the alert page (Slack still sends us the click, which we only ack). */
  open: 'alert_open',
  previousPage: 'alerts_page_previous',
  nextPage: 'alerts_page_next',
} as const;

/** callback_id of the modal that asks for a resolution note before resolving. */
export const VIEW = { resolve: 'alert_resolve_modal' } as const;

/** block_id and action_id of the modal's note input. */
export const RESOLVE_NOTE = { block: 'resolve_note', action: 'note' } as const;

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

/**
 * The block ids of one card, unique in the message and new with every revision (Slack asks for a new block_id
 * when a message is edited, so clients redraw the block instead of keeping stale state such as a chosen option).
 */
export function cardBlockId(part: string, alertId: number, revision: number): string {
  return `alert_${alertId}_r${revision}_${part}`;
}

/** The block id of a list row's buttons. */
export function rowBlockId(alertId: number): string {
  return `${BLOCK.rowActions}_${alertId}`;
}
