/** What one evaluated hour changed: the alerts its findings opened or merged into, and those that recovered. */
export interface HourChanges {
  readonly hourStart: Date;
  readonly raised: readonly number[];
  readonly recovered: readonly number[];
}

/**
 * Where alert changes go to be delivered (Slack cards, email). The core only says what changed; the adapter
 * (queue jobs) decides how and makes delivery idempotent. Implemented in src/queue/alert-notifications.ts.
 */
export interface AlertNotifications {
  /** An hour's evaluation finished: the alerts it opened or merged into (maybe as a digest), and those that recovered. */
  hourEvaluated(changes: HourChanges): Promise<void>;
  /** One alert changed outside an evaluation (a button, the API, an external producer, an email link). */
  alertChanged(alert: { id: number; revision: number }): Promise<void>;
}
