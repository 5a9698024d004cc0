import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from '../alert-page/audit-trail-html.js';
import type { PageLinks } from '../alert-page/page-links.js';
import type { Alert, AlertEvent } from '../alerts/alert.js';
import type { AlertReader } from '../alerts/alert-store.js';
import { alertHeadline } from '../alerts/alert-text.js';

/** Audit lines worth a line in the terminal (deliveries are not news). */
const NEWS: ReadonlySet<AlertEvent['kind']> = new Set([
  'created',
  'merged',
  'severity_raised',
  'acknowledged',
  'resolved',
  'recovered',
  'muted',
  'escalated',
]);

export interface AlertWatch {
  /** One look now: prints what changed since the last look (the first look prints every alert's links). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The demo's eye on its alerts after the first card: every change (seen again, severity raised to CRITICAL,
 * acknowledged, recovered, resolved, …) as one line, the alert's chart written to `outDir/alert-<id>.png`
 * (again after each change) with its path, and the alert page's URL once per alert.
 */
export function watchAlerts(input: {
  alerts: AlertReader;
  baseUrl: string;
  apiToken: string;
  links: PageLinks;
  outDir: string;
  say: (line?: string) => void;
  now: () => Date;
  everyMs?: number;
}): AlertWatch {
  const seenEvents = new Map<number, number>();
  const seenRevisions = new Map<number, number>();
  let first = true;
  const poll = async () => {
    const { alerts } = await input.alerts.list({}, { limit: 50, offset: 0 });
    for (const alert of [...alerts].reverse()) await look(alert);
    first = false;
  };
  const look = async (alert: Alert) => {
    const events = await input.alerts.events(alert.id);
    const after = seenEvents.get(alert.id);
    const news = events.filter((e) => NEWS.has(e.kind) && (after === undefined ? !first : e.id > after));
    for (const event of news)
      input.say(`  alert #${alert.id} ${alertHeadline(alert)}: ${describeEvent(event)}`);
    seenEvents.set(alert.id, events.at(-1)?.id ?? 0);
    if (seenRevisions.get(alert.id) === alert.revision) return;
    if (!seenRevisions.has(alert.id)) {
      const url = `${input.baseUrl}${input.links.urlFor(alert.id, { kind: 'email', recipient: 'demo@localhost' }, input.now())}`;
      input.say(`  alert #${alert.id} page: ${url}`);
    }
    seenRevisions.set(alert.id, alert.revision);
    const path = await writeChart(input, alert.id);
    if (path) input.say(`  alert #${alert.id} chart: ${path}`);
  };
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const schedule = () => {
    timer = setTimeout(() => {
      running = poll()
        .catch((error: Error) => input.say(`  (could not look at the alerts: ${error.message})`))
        .finally(schedule);
    }, input.everyMs ?? 5000);
  };
  return {
    poll: async () => {
      await poll();
      if (!timer) schedule();
    },
    stop: async () => {
      clearTimeout(timer);
      await running;
    },
  };
}

/** GET /v1/alerts/{id}/chart.png into a file; undefined (and said why) when there is none. */
async function writeChart(input: { baseUrl: string; apiToken: string; outDir: string }, id: number) {
  const response = await fetch(`${input.baseUrl}/v1/alerts/${id}/chart.png`, {
    headers: { authorization: `Bearer ${input.apiToken}` },
  });
  if (!response.ok) return undefined;
  mkdirSync(input.outDir, { recursive: true });
  const path = join(input.outDir, `alert-${id}.png`);
  writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  return path;
}
