import type { AlertHeadline } from './alert.js';
import type { AlertFinding } from './alert-finding.js';
import { type Channel, higherSeverity } from './alert-state.js';
import type { AlertChange, EventDraft, NewAlert, StoredAlert } from './alert-store.js';

/** What opens or merges into an alert: a finding of ours, or an external producer's alert. */
export interface Occurrence extends AlertHeadline {
  /** The finding behind it; null for external alerts. */
  readonly finding: AlertFinding | null;
  /** Who raised it, for the audit trail ("ratewatch" for detection). */
  readonly actor: string;
  readonly channel: Channel;
  readonly at: Date;
  /** The evaluated hour, for detection findings (recovery counts hours after it). */
  readonly hourStart?: Date | undefined;
}

/** Open a new alert, or merge into the open one (`severityRaised` when the merge raised its severity). */
export type MergeDecision =
  | { readonly kind: 'open'; readonly alert: NewAlert; readonly events: readonly EventDraft[] }
  | {
      readonly kind: 'merge';
      /** The open alert's id. */
      readonly id: number;
      readonly change: AlertChange;
      readonly events: readonly EventDraft[];
      readonly severityRaised: boolean;
    };

/**
 * One open alert per (source, environment, api, metric): with none open, the occurrence opens one (`created`);
 * otherwise it merges into the open alert (`merged`): occurrences + 1, last seen = the later of the two,
 * severity = the higher of the two (severities only rise; a rise adds `severity_raised` with from/to), title
 * and summary the newest, the finding the newest one given, and its recovery starts over (normal hours and ticks
 * 0, not recovered). The evaluated hour only moves forward. Pure; `open` is the alert as locked by the caller.
 */
export function decideMerge(open: StoredAlert | undefined, occurrence: Occurrence): MergeDecision {
  const o = occurrence;
  const said = { actor: o.actor, channel: o.channel, detail: { severity: o.severity, title: o.title } };
  if (!open) return { kind: 'open', alert: newAlert(o), events: [{ kind: 'created', ...said }] };
  const severity = higherSeverity(open.severity, o.severity);
  const severityRaised = severity !== open.severity;
  const events: EventDraft[] = [{ kind: 'merged', ...said }];
  if (severityRaised) {
    const detail = { from: open.severity, to: severity };
    events.push({ kind: 'severity_raised', actor: o.actor, channel: o.channel, detail });
  }
  const change: AlertChange = {
    occurrences: open.occurrences + 1,
    lastSeenAt: later(open.lastSeenAt, o.at),
    severity,
    title: o.title,
    summary: o.summary,
    ...(o.finding ? { lastFinding: o.finding } : {}),
    normalHours: 0,
    normalTicks: 0,
    recoveredAt: null,
    ...(o.hourStart ? { lastEvaluatedHour: later(open.lastEvaluatedHour ?? o.hourStart, o.hourStart) } : {}),
    revision: open.revision + 1,
  };
  return { kind: 'merge', id: open.id, change, events, severityRaised };
}

function newAlert(o: Occurrence): NewAlert {
  return {
    source: o.source,
    environment: o.environment,
    api: o.api,
    metric: o.metric,
    severity: o.severity,
    origin: o.origin,
    title: o.title,
    summary: o.summary,
    firstSeenAt: o.at,
    lastSeenAt: o.at,
    lastFinding: o.finding,
    lastEvaluatedHour: o.hourStart ?? null,
  };
}

function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
