import type { types } from '@slack/bolt';
import type { Alert } from '../../alerts/alert.js';
import { alertHeadline } from '../../alerts/alert-text.js';
import { escapeText, truncate } from '../escape.js';
import { RESOLVE_NOTE, VIEW } from '../ids.js';

/** Where the Resolve click came from, kept in the modal so its submission can answer there. */
export interface ResolveOrigin {
  readonly alertId: number;
  /** The channel of the message clicked (for an ephemeral answer), if any. */
  readonly channel?: string | undefined;
}

/**
 * The modal Resolve opens: which alert, an optional note, and a Resolve button — a resolution is final (a
 * later occurrence opens a new alert), so one stray click must not do it. Pure.
 */
export function resolveModal(alert: Alert, origin: ResolveOrigin): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.resolve,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: `Resolve alert #${alert.id}` },
    submit: { type: 'plain_text', text: 'Resolve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `*${escapeText(alertHeadline(alert))}*\nResolving is final: if it happens again, a new alert opens.`,
            2900,
          ),
        },
      },
      {
        type: 'input',
        block_id: RESOLVE_NOTE.block,
        optional: true,
        label: { type: 'plain_text', text: 'Note (optional): what fixed it' },
        element: {
          type: 'plain_text_input',
          action_id: RESOLVE_NOTE.action,
          multiline: true,
          max_length: 1000,
        },
      },
    ],
  };
}

/** The origin kept in a submitted modal, or undefined when it is not ours. */
export function originOf(privateMetadata: string | undefined): ResolveOrigin | undefined {
  try {
    const value = JSON.parse(privateMetadata ?? '') as Partial<ResolveOrigin>;
    if (!Number.isSafeInteger(value.alertId) || (value.alertId as number) <= 0) return undefined;
    return {
      alertId: value.alertId as number,
      channel: typeof value.channel === 'string' ? value.channel : undefined,
    };
  } catch {
    return undefined;
  }
}
