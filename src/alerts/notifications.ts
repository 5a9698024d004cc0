/** Why an alert changed, as delivery sees it: raised by an evaluation's finding, recovered, or anything else. */
export type ChangeKind = 'raised' | 'recovered' | 'changed';

/** Where a change is delivered: the Slack card (or the log without Slack), email, the escalation check. */
export type DeliveryChannel = 'slack' | 'email' | 'escalate';

/** One alert change to deliver: the alert at the revision the change gave it, and the run that made it. */
export interface ChangeNotice {
  readonly alertId: number;
  readonly revision: number;
  readonly kind: ChangeKind;
  /** The evaluation run (src/alerts/run-key.ts) whose changes are delivered together; null outside a run. */
  readonly runKey: string | null;
}

/** A finished run's changes released for delivery together (one batch; digests are per batch). */
export interface RunChanges {
  readonly runKey: string;
  readonly batchId: number;
  /** Alerts the run's findings opened or merged into. */
  readonly raised: readonly number[];
  readonly recovered: readonly number[];
}

/**
 * Where alert changes go to be delivered (Slack cards, email, escalation) — the outbox's two halves. The alert
 * service writes what each change owes (`channelsFor`) in the change's own transaction
 * (`AlertTransaction.recordDeliveries`), so nothing is lost if what follows fails; then, after the commit, it
 * hands the change to the adapter (src/queue/alert-notifications.ts), which tries to enqueue its jobs at once.
 * That is only the fast path: the sweep re-enqueues whatever is still owed, and the jobs' idempotency keeps
 * delivery exactly once.
 */
export interface AlertNotifications {
  /** The channels a change of this kind is owed to (those configured in this process). */
  channelsFor(kind: ChangeKind): readonly DeliveryChannel[];
  /** Changes outside a run, committed: enqueue their deliveries now. Never throws, never waits long. */
  changed(changes: readonly ChangeNotice[]): Promise<void>;
  /**
   * An evaluation run finished: its held changes are released as one batch (in MySQL; throws if that fails, so
   * the finishing job retries) and their deliveries enqueued (fast path: never throws, never waits long).
   */
  runFinished(runKey: string): Promise<void>;
}
