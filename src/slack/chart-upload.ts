import type { Alert } from '../alerts/alert.js';
import { alertHeadline } from '../alerts/alert-text.js';
import type { SlackChartData } from '../queue/job-data.js';
import type { ChartKey, ChartUploadRow } from '../storage/slack-chart-uploads.js';
import type { SlackMessageRow } from '../storage/slack-messages.js';
import type { Pace } from './notifier.js';
import { type DeliveryDeps, isDigestKey } from './slack-deps.js';
import { classifySlackError, SlackDeliveryError } from './slack-errors.js';
import { ThreadNotReadyError } from './thread-replies.js';

/** What one `slack-chart` job did. */
export type ChartUploadResult =
  | { readonly kind: 'uploaded'; readonly fileId: string; readonly fresh: boolean }
  | { readonly kind: 'skipped'; readonly reason: string };

const LEASE_SECONDS = 60;
const LOOKUP_PAGES = 5;

/**
 * After an alert's own card is synced: owes its chart at the card's severity (a row in MySQL, once per alert
 * and severity level) and queues the upload. The card never waits for the chart: rendering happens in the
 * upload job. Alerts shown in a digest get no chart in Slack (a storm would flood its thread).
 */
export async function oweChart(deps: DeliveryDeps, alert: Alert): Promise<void> {
  if (!deps.chartOf) return;
  const key = { alertId: alert.id, severity: alert.severity };
  await deps.chartUploads.ensure(key, deps.now());
  const row = await deps.chartUploads.get(key);
  if (row?.state !== 'pending') return;
  // A job that cannot be queued now is queued by the outbox sweep: the row says the chart is owed.
  await deps.queue.chart(key).catch((error) => {
    deps.logger.warn({ err: error, alertId: alert.id }, 'could not queue the chart upload; the sweep will');
  });
}

/**
 * Uploads the alert's chart into its card's thread (`files.uploadV2`), once per alert and severity: the row is
 * claimed under a lease before uploading and records Slack's file id after. A claim that ended without knowing
 * whether Slack completed the upload (a network error, a 5xx, a worker killed before the record) makes the next
 * attempt look for the file in the thread first (by its file name, unique per row). Paced like every post: the
 * channel's rate slot right before the upload, 429s delay the job.
 */
export async function uploadChart(
  deps: DeliveryDeps,
  data: SlackChartData,
  pace: Pace,
): Promise<ChartUploadResult> {
  const key: ChartKey = { alertId: data.alertId, severity: data.severity };
  const row = await deps.chartUploads.get(key);
  if (row?.state !== 'pending') return { kind: 'skipped', reason: row ? row.state : 'not owed' };
  const alert = await deps.alerts.get(key.alertId);
  if (!alert || !deps.chartOf) return skip(deps, key, alert ? 'charts are off' : 'no such alert');
  const card = await cardOf(deps, key.alertId);
  if (card === 'digest') return skip(deps, key, 'the alert is shown in a digest');
  // Rendering (0.1–0.4 s) comes before the claim, so a lease is never spent drawing.
  const chart = await deps.chartOf(alert);
  if (chart.kind === 'none') return skip(deps, key, `no chart: ${chart.reason}`);
  const claim = await deps.chartUploads.claim(key, LEASE_SECONDS);
  if (claim.kind === 'finished') return { kind: 'skipped', reason: claim.row.state };
  if (claim.kind === 'busy') return pace.delay(claim.retryInMs);
  const target = { channel: card.channel, threadTs: card.ts as string };
  let uncertain = claim.maybeUploaded;
  try {
    if (uncertain) {
      const found = await findUploaded(deps, target, claim.row, claim.since);
      if (found) {
        await deps.chartUploads.recordUploaded(
          key,
          { ...target, fileId: found, revision: alert.revision },
          deps.now(),
        );
        return { kind: 'uploaded', fileId: found, fresh: false };
      }
      uncertain = false;
    }
    const wait = await deps.slots.take(target.channel);
    if (wait > 0) {
      await deps.chartUploads.release(key, claim.token, uncertain);
      return pace.delay(wait + Math.floor(Math.random() * 100));
    }
    const fileId = await upload(deps, alert, claim.row, target, chart.png);
    await deps.chartUploads.recordUploaded(key, { ...target, fileId, revision: alert.revision }, deps.now());
    return { kind: 'uploaded', fileId, fresh: true };
  } catch (error) {
    // Anything but a Slack error (MySQL failing right after the upload) keeps the claim: its lease runs out,
    // and the next attempt looks for the file before uploading again.
    if (error instanceof SlackDeliveryError) {
      const failure = error.failure;
      await deps.chartUploads.release(key, claim.token, uncertain || failure.kind === 'transient');
      if (failure.kind === 'rate_limited') {
        await deps.slots.block(target.channel, failure.retryAfterMs);
        return pace.delay(failure.retryAfterMs);
      }
    }
    throw error;
  }
}

/**
 * After the job's last attempt: the chart is given up on (the card and the alert are unaffected), and the log
 * says so once — the reason without URLs or tokens.
 */
export async function giveUpChart(deps: DeliveryDeps, data: SlackChartData, error: unknown): Promise<string> {
  const reason = safeReason(error);
  await deps.chartUploads.finish(data, { state: 'failed', reason }, deps.now());
  deps.logger.warn(
    { alertId: data.alertId, severity: data.severity, reason },
    "gave up uploading the alert's chart to its Slack thread; the card and the alert are unaffected",
  );
  return reason;
}

/** The card's message row once posted; `digest` when a digest shows the alert. Throws until the card exists. */
async function cardOf(deps: DeliveryDeps, alertId: number): Promise<SlackMessageRow | 'digest'> {
  const link = await deps.store.linkOf(alertId);
  if (link && isDigestKey(link.messageKey)) return 'digest';
  const card = link ? await deps.store.get(link.messageKey) : undefined;
  if (!card?.ts) throw new ThreadNotReadyError(alertId);
  return card;
}

async function skip(deps: DeliveryDeps, key: ChartKey, reason: string): Promise<ChartUploadResult> {
  await deps.chartUploads.finish(key, { state: 'skipped', reason }, deps.now());
  return { kind: 'skipped', reason };
}

async function upload(
  deps: DeliveryDeps,
  alert: Alert,
  row: ChartUploadRow,
  target: { channel: string; threadTs: string },
  png: Buffer,
): Promise<string> {
  const headline = alertHeadline(alert);
  try {
    const result = await deps.client.files.uploadV2({
      channel_id: target.channel,
      thread_ts: target.threadTs,
      file: png,
      filename: row.fileName,
      title: `${alert.severity.toUpperCase()} · ${headline}`,
      alt_text: `Chart of ${headline}: the last 48 hours against the normal range, the alert's window marked`,
      initial_comment: `:chart_with_upwards_trend: The last 48 hours at ${alert.severity.toUpperCase()}: observed against the normal range, the alert's window marked.`,
    });
    const files = (result as { files?: { files?: { id?: string }[] }[] }).files ?? [];
    const fileId = files[0]?.files?.[0]?.id;
    if (!fileId) throw new Error('files.completeUploadExternal answered without a file id');
    return fileId;
  } catch (error) {
    if (error instanceof SlackDeliveryError) throw error;
    throw new SlackDeliveryError(classifySlackError(error), 'files.uploadV2', { cause: error });
  }
}

interface MessageWithFiles {
  files?: { id?: string; name?: string }[];
}

/**
 * The id of the row's file if an earlier attempt shared it into the thread (since its first claim, a minute of
 * clock skew allowed). If Slack will not let us look (no channels:history), the upload goes ahead: a possible
 * second chart beats none.
 */
async function findUploaded(
  deps: DeliveryDeps,
  target: { channel: string; threadTs: string },
  row: ChartUploadRow,
  since: Date | null,
): Promise<string | undefined> {
  const oldest = since ? String((since.getTime() - 60_000) / 1000) : undefined;
  let cursor: string | undefined;
  try {
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const result = await deps.client.conversations.replies({
        ...{ channel: target.channel, ts: target.threadTs, oldest, cursor, limit: 200 },
      });
      const messages = (result.messages ?? []) as MessageWithFiles[];
      const file = messages.flatMap((m) => m.files ?? []).find((f) => f.name === row.fileName && f.id);
      if (file?.id) return file.id;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.kind !== 'permanent')
      throw new SlackDeliveryError(failure, 'conversations.replies', { cause: error });
    deps.logger.warn(
      { alertId: row.alertId, reason: failure.reason },
      'cannot look for an earlier upload of this chart (grant channels:history and groups:history); uploading it',
    );
    return undefined;
  }
}

/** An error's message without URLs (upload URLs are capabilities) or anything shaped like a Slack token. */
export function safeReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .replace(/https?:\/\/\S+/g, '<url>')
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, '<token>')
    .slice(0, 500);
}
