import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import type { CsvMinute } from '../../src/backtest/counts-csv.js';
import { replay } from '../../src/backtest/replay.js';
import { DEFAULT_DETECTION, type SeriesProfile } from '../../src/detection/settings.js';
import type { Finding } from '../../src/detection/types.js';
import { createRandom } from '../../src/simulate/random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-02T00:00:00Z');
/** Nine days past the EU's switch to summer time (Sunday 2026-03-29, 01:00 UTC). */
const END = Date.parse('2026-04-07T00:00:00Z');
const SWITCH = Date.parse('2026-03-29T01:00:00Z');

/**
 * A Berlin card processor's minutes: quiet at night, a steep morning ramp, busy all day, in Berlin's local time
 * (so an hour earlier in UTC from the switch on), with an hour-to-hour wander and per-minute noise; no incident.
 */
function berlinMinutes(): CsvMinute[] {
  const noise = createRandom(88_172_645, 'berlin-card').next;
  const rows: CsvMinute[] = [];
  for (let hour = START; hour < END; hour += HOUR) {
    const local = new TZDate(hour, 'Europe/Berlin').getHours();
    const level = 10 + 190 * Math.max(0, Math.sin(((local - 6) / 16) * Math.PI));
    const wander = 0.95 + 0.1 * noise();
    for (let minute = hour; minute < hour + HOUR; minute += MINUTE) {
      const total = Math.round(level * wander * (0.9 + 0.2 * noise()));
      const counts = {
        minutes: 1,
        total,
        failed: Math.round(total * 0.01),
        denied: Math.round(total * 0.05),
        reversed: 0,
      };
      rows.push({ minute, source: 'card-eu', environment: 'production', counts });
    }
  }
  return rows;
}

async function* stream(rows: readonly CsvMinute[]): AsyncIterable<CsvMinute> {
  yield* rows;
}

async function trafficFindings(profile: SeriesProfile): Promise<Finding[]> {
  const findings: Finding[] = [];
  await replay(stream(berlinMinutes()), {
    retrainHours: 24,
    graceMinutes: 2,
    profileOf: () => profile,
    onFinding: (finding) => findings.push(finding),
  });
  return findings.filter((f) => f.metric === 'traffic');
}

describe('a source without a timezone, across the EU switch to summer time', () => {
  const settings = DEFAULT_DETECTION;
  // From the second day after the switch: the clock changes at a daily training cut-off, once the traffic shows it.
  const afterSettling = (findings: Finding[]) =>
    findings
      .filter((f) => f.windowStart.getTime() >= SWITCH + 2 * DAY)
      .map((f) => f.windowStart.toISOString());

  it('is judged in the clock its traffic keeps: no surge or drop for its moved mornings and evenings', async () => {
    const findings = await trafficFindings({
      settings,
      timeZone: 'UTC',
      holidays: [],
      clockFromTraffic: true,
    });
    expect(afterSettling(findings)).toEqual([]);
  }, 60_000);

  it('is paged for them when UTC was configured for it (the clock is never second-guessed)', async () => {
    const findings = await trafficFindings({ settings, timeZone: 'UTC', holidays: [] });
    expect(afterSettling(findings).length).toBeGreaterThan(0);
  }, 60_000);
});
