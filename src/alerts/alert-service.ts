import type { Severity } from '../detection/types.js';
import type { AlertStore, RaiseResult } from '../storage/alerts.js';
import type { Alert } from './alert.js';
import type { AlertAction, Channel } from './alert-state.js';
import type { AlertNotifications } from './notifications.js';

/** The outcome of a person's acknowledge or resolve: done, refused with a reason, or no such alert. */
export type ActionResult =
  | { readonly kind: 'done'; readonly alert: Alert }
  | { readonly kind: 'refused'; readonly alert: Alert; readonly reason: string }
  | { readonly kind: 'not_found' };

/** An alert raised by another system through `POST /v1/alerts`. */
export interface ExternalAlert {
  readonly source: string;
  readonly environment: string;
  readonly metric: string;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: string | null;
  /** Who raised it (recorded in the audit trail). */
  readonly actor: string;
}

export interface AlertService {
  /** Acknowledges (new → acknowledged), recorded with actor and channel; updates its card and thread. */
  act(input: {
    id: number;
    action: AlertAction;
    actor: string;
    channel: Channel;
    note?: string | undefined;
  }): Promise<ActionResult>;
  /** Opens an alert or merges into the open one with the same source, environment and metric. */
  raiseExternal(alert: ExternalAlert): Promise<RaiseResult>;
}

/**
 * Triage, whichever way it arrives (Slack button, /alerts, REST, email link): the store decides under a row
 * lock, the audit trail records who, when and through which channel, and every change is handed to
 * notifications so the Slack card and email follow.
 */
export function createAlertService(deps: {
  alerts: AlertStore;
  notifications: AlertNotifications;
  now: () => Date;
}): AlertService {
  return {
    async act({ id, action, actor, channel, note }) {
      const result = await deps.alerts.transition({ id, action, actor, channel, note, at: deps.now() });
      if (!result) return { kind: 'not_found' };
      if (!result.verdict.ok) return { kind: 'refused', alert: result.alert, reason: result.verdict.reason };
      await deps.notifications.alertChanged(result.alert);
      return { kind: 'done', alert: result.alert };
    },

    async raiseExternal(alert) {
      const result = await deps.alerts.raise({
        ...alert,
        origin: 'external',
        finding: null,
        channel: 'api',
        at: deps.now(),
      });
      await deps.notifications.alertChanged(result.alert);
      return result;
    },
  };
}
