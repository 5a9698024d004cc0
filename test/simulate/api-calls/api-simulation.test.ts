import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_CALLS_CSV_HEADER, readApiCallsCsv } from '../../../src/api-calls/api-calls-csv.js';
import { type ApiMinute, callsWithResponse, compareApiMinutes } from '../../../src/api-calls/api-minute.js';
import { histogramTotal } from '../../../src/api-calls/latency.js';
import { isApiEventDetectable } from '../../../src/simulate/api-calls/api-detectability.js';
import {
  API_EVENTS_HEADER,
  apiCallsCsvChunks,
  apiEventsCsv,
  describeApiSimulation,
  writeApiSimulation,
} from '../../../src/simulate/api-calls/api-files.js';
import { createApiModel } from '../../../src/simulate/api-calls/api-model.js';
import { createApiSimulation } from '../../../src/simulate/api-calls/api-simulation.js';
import type { ApiSimulationOptions } from '../../../src/simulate/api-calls/types.js';
import { createSeriesModel } from '../../../src/simulate/series-model.js';
import { DAY_MS, HOUR_MS } from '../../../src/simulate/types.js';

const START_MS = Date.parse('2026-01-05T00:00:00Z');
const options = (overrides: Partial<ApiSimulationOptions> = {}): ApiSimulationOptions => ({
  seed: 1,
  days: 4,
  sources: 3,
  startMs: START_MS,
  ...overrides,
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function digest(o: ApiSimulationOptions): string {
  const simulation = createApiSimulation(o);
  const hash = createHash('sha256');
  for (const chunk of apiCallsCsvChunks(simulation)) hash.update(chunk);
  hash.update(apiEventsCsv(simulation.incidents)).update(apiEventsCsv(simulation.benign));
  return hash.update(JSON.stringify(describeApiSimulation(simulation))).digest('hex');
}

describe('createApiSimulation', () => {
  describe('when run twice with the same options', () => {
    it('gives the same bytes', () => {
      expect(digest(options())).toBe(digest(options()));
    });

    it('writes the same four files', async () => {
      const simulation = () => createApiSimulation(options({ days: 3 }));
      const [a, b] = [mkdtempSync(join(tmpdir(), 'rw-apisim-')), mkdtempSync(join(tmpdir(), 'rw-apisim-'))];
      const rows = await writeApiSimulation(simulation(), a);
      expect(await writeApiSimulation(simulation(), b)).toBe(rows);
      for (const name of ['api-calls.csv', 'labels.csv', 'benign.csv', 'sources.json'])
        expect(sha256(readFileSync(join(b, name)))).toBe(sha256(readFileSync(join(a, name))));
      expect(readFileSync(join(a, 'labels.csv'), 'utf8').split('\n')[0]).toBe(API_EVENTS_HEADER);
      let read = 0;
      for await (const _ of readApiCallsCsv(join(a, 'api-calls.csv'))) read += 1;
      expect(read).toBe(rows);
    });
  });

  it('gives other data for another seed', () => {
    expect(digest(options({ seed: 2 }))).not.toBe(digest(options()));
  });

  it('keeps the first services as they were when asked for more', () => {
    const few = createApiSimulation(options({ sources: 3 })).services;
    const many = createApiSimulation(options({ sources: 12 })).services;
    for (const service of few) expect(many).toContainEqual(service);
  });

  describe('the APIs it draws', () => {
    const simulation = createApiSimulation(options({ sources: 24 }));
    const apis = simulation.services.flatMap((service) => service.apis);

    it('range from a few calls an hour to thousands a minute', () => {
      const peaks = apis.map((api) => api.peakPerMinute);
      expect(Math.min(...peaks)).toBeLessThan(0.1);
      expect(Math.max(...peaks)).toBeGreaterThan(1000);
    });

    it('answer slower under load when their latency depends on it', () => {
      const service = simulation.services.find((s) =>
        s.apis.some((a) => a.latency.loadSlope > 0.2),
      ) as (typeof simulation.services)[number];
      const api = service.apis.find((a) => a.latency.loadSlope > 0.2) as (typeof apis)[number];
      const model = createApiModel(api, createSeriesModel(service.volume, { ...options(), sources: 1 }));
      const minutes = Array.from({ length: 24 }, (_, hour) => START_MS + DAY_MS + hour * HOUR_MS);
      const busiest = minutes.reduce((a, b) => (model.load(a) > model.load(b) ? a : b));
      const quietest = minutes.reduce((a, b) => (model.load(a) < model.load(b) ? a : b));
      expect(model.medianMs(busiest)).toBeGreaterThan(model.medianMs(quietest) * 1.05);
    });
  });

  describe('the rows', () => {
    const simulation = createApiSimulation(options());
    const rows = [...simulation.rows()];

    it('are sorted by minute, source, environment and api', () => {
      const unsorted = rows.filter(
        (row, i) => i > 0 && compareApiMinutes(rows[i - 1] as ApiMinute, row) >= 0,
      );
      expect(unsorted).toEqual([]);
    });

    it('hold a histogram of every response and no more silent failures than 2xx', () => {
      const wrong = rows.filter(
        (row) =>
          histogramTotal(row.latency) !== callsWithResponse(row.calls) ||
          row.silentFailures > (row.calls[0] as number),
      );
      expect(wrong).toEqual([]);
    });

    it('write as the API-calls CSV', () => {
      const [first] = apiCallsCsvChunks(simulation);
      expect(first?.split('\n')[0]).toBe(API_CALLS_CSV_HEADER);
    });
  });

  describe('its incidents', () => {
    const simulation = createApiSimulation(options({ days: 14, sources: 6 }));

    it('cover every kind and metric over a few seeds', () => {
      const kinds = new Set(
        [1, 2, 3].flatMap((seed) =>
          createApiSimulation(options({ seed, days: 21, sources: 8 })).incidents.map((i) => i.kind),
        ),
      );
      expect([...kinds].sort()).toEqual([
        'error_spike',
        'latency_creep',
        'latency_surge',
        'silent_failure_rise',
        'source_silent',
        'timeout_spike',
        'traffic_drop',
      ]);
    });

    it('are all detectable on the API they are labelled on', () => {
      for (const incident of simulation.incidents) {
        const service = simulation.services.find(
          (s) => s.source === incident.source && s.environment === incident.environment,
        );
        const api = service?.apis.find((a) => a.api === incident.api);
        if (!service || !api) throw new Error(`no API for ${incident.api}`);
        const model = createApiModel(
          api,
          createSeriesModel(service.volume, { ...options(), days: 21, sources: 1 }),
        );
        expect(isApiEventDetectable(model, incident, service.volume.dayLevelSigma)).toBe(true);
      }
    });

    it('show in the data: an error spike raises the share of 5xx + timeouts in its window', () => {
      const spike = simulation.incidents.find((i) => i.kind === 'error_spike' || i.kind === 'timeout_spike');
      if (!spike) throw new Error('no error incident in this simulation');
      // Errors and calls of the API in the spike, and in the same hours of the days before it.
      const sums = { during: { errors: 0, calls: 0 }, before: { errors: 0, calls: 0 } };
      for (const row of simulation.rows()) {
        if (row.source !== spike.source || row.environment !== spike.environment || row.api !== spike.api)
          continue;
        const offset = row.minuteMs - spike.startMs;
        const inSpike = offset >= 0 && row.minuteMs < spike.endMs;
        const daysBefore = offset < -DAY_MS && offset >= -3 * DAY_MS;
        if (!inSpike && !daysBefore) continue;
        const sum = inSpike ? sums.during : sums.before;
        sum.errors += (row.calls[3] as number) + (row.calls[4] as number);
        sum.calls += row.calls.reduce((a, b) => a + b, 0);
      }
      const during = sums.during.errors / sums.during.calls;
      const before = sums.before.errors / sums.before.calls;
      expect(during).toBeGreaterThan(before * 2);
    });

    it('label a source that stops posting on each API it is detectable on, and it posts nothing then', () => {
      const incident = simulation.incidents.find((i) => i.kind === 'source_silent');
      if (!incident) throw new Error('no source_silent incident in this simulation');
      const rows = [...simulation.rows()].filter(
        (r) =>
          r.source === incident.source &&
          r.environment === incident.environment &&
          r.minuteMs >= incident.startMs &&
          r.minuteMs < incident.endMs,
      );
      expect(rows).toEqual([]);
    });
  });
});
