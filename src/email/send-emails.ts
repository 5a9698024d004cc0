import { createHash } from 'node:crypto';
import type { NewsItem, NewsRow } from '../storage/email-deliveries.js';
import type { EmailContent } from './alert-message.js';
import type { EmailDeps } from './email-deps.js';
import { isPermanentSmtpError, type Mailer, smtpErrorText } from './mailer.js';

/** An SMTP server refused an email for good (5xx): retrying cannot help (the job fails without retries). */
export class EmailRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmailRefusedError';
  }
}

/** One email to send: the news it may carry for one recipient, and how to write it from the news it owns. */
export interface EmailSend {
  readonly sendKey: string;
  readonly recipient: string;
  readonly items: readonly NewsItem[];
  /** Builds the email from the items this send owns and has not sent yet (never empty). */
  readonly build: (owned: readonly NewsItem[]) => EmailContent | Promise<EmailContent>;
  /** The alert this email belongs with, for threading (References header). */
  readonly threadAlertId?: number;
}

/**
 * sent: this attempt sent it · sent_before: an earlier attempt of the same job did · had_it: other emails
 * already carried all of it · failed: refused for good (5xx) · in_flight: another job owns it and has not sent it.
 */
export type SendStatus = 'sent' | 'sent_before' | 'had_it' | 'failed' | 'in_flight';

export interface SendOutcome {
  readonly sendKey: string;
  readonly recipient: string;
  readonly status: SendStatus;
  /** The alerts this recipient now has (or, failed: should have had) from this send. */
  readonly alertIds: readonly number[];
  readonly error?: string;
}

/**
 * Sends each email at most once per piece of news and recipient, and only after claiming it:
 * claim (INSERT IGNORE under this job's send key) → send → mark sent.
 *
 * The crash window between the SMTP server's "250 accepted" and "mark sent" is resolved towards
 * AT-LEAST-ONCE: a retried job resends rows it claimed but never marked sent. Missing an alert is worse than
 * a rare duplicate, and the duplicate carries the same Message-ID (derived from the send key), so mail
 * servers and clients that de-duplicate by Message-ID drop it. Rows marked sent are never sent again, and rows
 * another job claimed are left to that job. A permanent refusal (5xx) marks the rows failed: never retried.
 * Temporary failures (4xx, timeouts, connection errors) are collected and thrown after every recipient was
 * tried, so the queue retries with backoff and the retry only resends what is still claimed.
 */
export async function sendEmails(deps: EmailDeps, mailer: Mailer, sends: readonly EmailSend[]) {
  const outcomes: SendOutcome[] = [];
  const temporary: { recipient: string; error: unknown }[] = [];
  for (const send of sends) {
    try {
      outcomes.push(await sendOnce(deps, mailer, send));
    } catch (error) {
      temporary.push({ recipient: send.recipient, error });
    }
  }
  await recordFailures(
    deps,
    outcomes.filter((o) => o.status === 'failed'),
  );
  return { outcomes, temporary };
}

/**
 * After the audit trail is written: a temporary failure throws an Error (the job retries), a permanent one an
 * EmailRefusedError (the job fails for good).
 */
export function throwIfUndelivered(result: {
  outcomes: readonly SendOutcome[];
  temporary: readonly { recipient: string; error: unknown }[];
}) {
  const [first] = result.temporary;
  if (first) {
    // Logged once, by the worker's 'failed' handler ("job failed; it will be retried").
    const who = result.temporary.map((t) => t.recipient).join(', ');
    throw new Error(`email not sent yet to ${who}: ${smtpErrorText(first.error)}`, { cause: first.error });
  }
  const failed = result.outcomes.filter((o) => o.status === 'failed' && o.error);
  if (failed.length > 0) {
    throw new EmailRefusedError(
      `email refused for good: ${failed.map((o) => `${o.recipient}: ${o.error}`).join('; ')}`,
    );
  }
}

async function sendOnce(deps: EmailDeps, mailer: Mailer, send: EmailSend): Promise<SendOutcome> {
  const rows = await deps.deliveries.claim(send.sendKey, send.recipient, send.items, deps.now());
  const mine = rows.filter((r) => r.sendKey === send.sendKey);
  const owned = mine.filter((r) => r.state === 'claimed');
  if (owned.length === 0) return settled(send, rows, mine);
  const content = await send.build(owned);
  const messageId = `<${createHash('sha256').update(send.sendKey).digest('hex').slice(0, 32)}@${deps.messageDomain}>`;
  try {
    await mailer.send({ to: send.recipient, ...content, messageId, references: threadOf(deps, send) });
  } catch (error) {
    if (!isPermanentSmtpError(error)) throw error;
    const text = smtpErrorText(error);
    await deps.deliveries.markFailed(send.sendKey, text, deps.now());
    return { ...base(send), status: 'failed', alertIds: alertIdsOf(owned), error: text };
  }
  await deps.deliveries.markSent(send.sendKey, messageId, deps.now());
  return { ...base(send), status: 'sent', alertIds: alertIdsOf(owned) };
}

/** Nothing left to send under this key: say why. */
function settled(send: EmailSend, rows: readonly NewsRow[], mine: readonly NewsRow[]): SendOutcome {
  if (mine.some((r) => r.state === 'sent'))
    return { ...base(send), status: 'sent_before', alertIds: alertIdsOf(mine) };
  if (mine.length > 0) return { ...base(send), status: 'failed', alertIds: alertIdsOf(mine) };
  const status = rows.every((r) => r.state === 'sent') ? 'had_it' : 'in_flight';
  return { ...base(send), status, alertIds: alertIdsOf(rows) };
}

function base(send: EmailSend) {
  return { sendKey: send.sendKey, recipient: send.recipient };
}

function threadOf(deps: EmailDeps, send: EmailSend): string[] | undefined {
  return send.threadAlertId === undefined
    ? undefined
    : [`<alert-${send.threadAlertId}@${deps.messageDomain}>`];
}

function alertIdsOf(rows: readonly NewsItem[]): number[] {
  return [...new Set(rows.map((r) => r.alertId))];
}

/** A permanent refusal goes into each alert's audit trail once per send key. */
async function recordFailures(deps: EmailDeps, failed: readonly SendOutcome[]): Promise<void> {
  for (const outcome of failed) {
    if (!outcome.error) continue;
    for (const alertId of outcome.alertIds) {
      await deps.alerts.addEvent({
        alertId,
        kind: 'notify_failed',
        actor: 'ratewatch',
        channel: 'email',
        detail: { channel: 'email', recipient: outcome.recipient, error: outcome.error },
        dedupeKey: `emailfail_${alertId}_${digest(outcome.sendKey)}`,
      });
    }
  }
}

/** Records that email carried an alert to `recipients` people, once per job (dedupeKey). */
export async function recordNotified(
  deps: EmailDeps,
  input: { alertId: number; kind: string; recipients: number; dedupeKey: string },
): Promise<void> {
  if (input.recipients === 0) return;
  await deps.alerts.addEvent({
    alertId: input.alertId,
    kind: 'notified',
    actor: 'ratewatch',
    channel: 'email',
    detail: { kind: input.kind, recipients: input.recipients },
    dedupeKey: input.dedupeKey,
  });
}

/** How many recipients this job's sends carried the alert to (now or in an earlier attempt). */
export function carriedTo(
  outcomes: readonly SendOutcome[],
  alertId: number,
  statuses: readonly SendStatus[],
) {
  return outcomes.filter((o) => statuses.includes(o.status) && o.alertIds.includes(alertId)).length;
}

/** A short stable digest for keys that must stay under column limits. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
