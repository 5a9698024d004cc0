import { Writable } from 'node:stream';
import type { Attachment, ParsedMail } from 'mailparser';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertCharts } from '../../src/alert-chart/alert-charts.js';
import { parseConfigFile, profileResolver } from '../../src/config-file.js';
import { emailAlertChange } from '../../src/email/alert-emails.js';
import type { EmailDeps } from '../../src/email/email-deps.js';
import { emailRun } from '../../src/email/run-emails.js';
import { decodePng } from '../helpers/png.js';
import { postHour } from '../helpers/slack-app.js';
import { CONFIG_YAML, type EmailRig, raiseAlert, startEmailRig, stopEmailRig } from './fixtures.js';

const NOW = new Date('2026-11-21T18:02:30Z');
let rig: EmailRig | undefined;
let deps: EmailDeps;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  rig = await startEmailRig('email_charts', () => NOW);
  // The counts the charts draw: an hour of each source before the alerts.
  for (const source of ['card-eu', 'card-nl']) await postHour(rig.app, source, '2026-11-21T17:00:00Z', 0.01);
  const profileOf = profileResolver(parseConfigFile(CONFIG_YAML));
  const charts = createAlertCharts({ ...rig.app.storage, profileOf, retrainHours: 24, now: () => NOW });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  deps = { ...rig.email.deps, chartOf: charts.chartOf, logger: pino({ level: 'warn' }, sink) };
}, 60_000);
afterAll(() => stopEmailRig(rig));

/** The message's inline PNG parts. */
function inlineCharts(mail: ParsedMail | undefined): Attachment[] {
  return (mail?.attachments ?? []).filter((a) => a.contentType === 'image/png');
}

/** Checks one inline chart part: a Content-ID that the HTML shows as an image with words, and a sound PNG. */
function expectShownInline(mail: ParsedMail | undefined, part: Attachment | undefined): void {
  expect(part?.contentDisposition).toBe('inline');
  expect(part?.cid).toMatch(/^chart-\d+-\d+@ratewatch\.example\.com$/);
  expect(mail?.html || '').toMatch(new RegExp(`<img src="cid:${part?.cid}" alt="[^"]+ the last 48 hours`));
  const { width, height } = decodePng(part?.content as Buffer);
  expect(width).toBeGreaterThan(300);
  expect(height).toBeGreaterThan(150);
}

describe("an alert's email", () => {
  it('carries its chart as an inline image part that the HTML shows by Content-ID, and says so in text', async () => {
    const smtp = rig?.smtp;
    const alert = await raiseAlert(rig?.alerts as NonNullable<EmailRig['alerts']>, {
      source: 'card-eu',
      severity: 'high',
      at: NOW,
    });
    await emailAlertChange(deps, alert.id, alert.revision);
    const [received] = (await smtp?.waitFor(1, 'finance@example.com')) ?? [];
    const mail = received?.mail;
    const parts = inlineCharts(mail);
    expect(parts).toHaveLength(1);
    expectShownInline(mail, parts[0]);
    expect(parts[0]?.cid).toBe(`chart-${alert.id}-${alert.revision}@ratewatch.example.com`);
    expect(parts[0]?.filename).toBe(`ratewatch-alert-${alert.id}.png`);
    expect(mail?.text).toContain(
      `— attached as ratewatch-alert-${alert.id}.png (inline in the HTML version).`,
    );
  });

  it('goes without the chart when drawing it fails, and the log says so', async () => {
    const failing: EmailDeps = { ...deps, chartOf: async () => Promise.reject(new Error('renderer broke')) };
    const alert = await raiseAlert(rig?.alerts as NonNullable<EmailRig['alerts']>, {
      source: 'card-eu',
      metric: 'denied',
      severity: 'high',
      at: NOW,
    });
    await emailAlertChange(failing, alert.id, alert.revision);
    const mail = (await rig?.smtp.waitFor(2, 'finance@example.com'))?.find((r) =>
      r.mail.subject?.includes('denied'),
    )?.mail;
    expect(mail?.subject).toContain('card-eu (production) · denied rate');
    expect(inlineCharts(mail)).toEqual([]);
    expect(mail?.html).not.toContain('cid:');
    expect(mail?.text).not.toContain('Chart:');
    expect(logLines.some((l) => l.alertId === alert.id && String(l.msg).includes('goes without it'))).toBe(
      true,
    );
  });
});

describe('the digest', () => {
  it('carries one inline chart per alert, each shown by its own Content-ID', async () => {
    const alerts = rig?.alerts as NonNullable<EmailRig['alerts']>;
    const raised = [
      await raiseAlert(alerts, { source: 'card-nl', metric: 'failed', severity: 'high', at: NOW }),
      await raiseAlert(alerts, { source: 'card-nl', metric: 'denied', severity: 'critical', at: NOW }),
      await raiseAlert(alerts, { source: 'card-nl', metric: 'reversed', severity: 'low', at: NOW }),
    ];
    const before = rig?.smtp.to('ops@example.com').length ?? 0;
    await emailRun(deps, {
      runKey: 'hour_2026-11-21T17',
      batchId: 7,
      raised: raised.map((a) => a.id),
      recovered: [],
    });
    const mail = (await rig?.smtp.waitFor(before + 1, 'ops@example.com'))?.at(-1)?.mail;
    expect(mail?.subject).toMatch(/^\[ratewatch\] 3 alerts/);
    const parts = inlineCharts(mail);
    expect(parts.map((p) => p.cid).sort()).toEqual(
      raised.map((a) => `chart-${a.id}-${a.revision}@ratewatch.example.com`).sort(),
    );
    for (const part of parts) expectShownInline(mail, part);
  });
});
