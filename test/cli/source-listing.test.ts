import { describe, expect, it } from 'vitest';
import { listingRow, listSources } from '../../src/cli/source-listing.js';
import type { SourceSummary } from '../../src/storage/sources.js';

const at = (iso: string) => new Date(iso);
const source = (id: number, name: string, environments: SourceSummary['environments']): SourceSummary => ({
  id,
  name,
  defaultEnvironment: 'production',
  catalogId: 1,
  onboardedVia: 'ingest_token',
  hasToken: false,
  createdAt: at('2026-11-01T00:00:00Z'),
  announcedAt: null,
  pausedAt: null,
  environments,
});

describe('sources list', () => {
  const listed = listSources(
    [
      source(1, 'card-eu', [{ environment: 'production', lastMinute: at('2026-11-21T18:04:00Z') }]),
      source(2, 'checkout-api', [
        { environment: 'production', lastMinute: null },
        { environment: 'staging', lastMinute: null },
      ]),
      source(3, 'both', [{ environment: 'production', lastMinute: at('2026-11-21T18:00:00Z') }]),
      source(4, 'silent', []),
      { ...source(5, 'retired', []), pausedAt: at('2026-11-20T09:00:00Z') },
    ],
    [
      {
        seriesId: 20,
        sourceId: 2,
        environment: 'production',
        apis: 12,
        lastMinute: at('2026-11-21T18:03:00Z'),
      },
      {
        seriesId: 30,
        sourceId: 3,
        environment: 'production',
        apis: 1,
        lastMinute: at('2026-11-21T17:59:00Z'),
      },
    ],
  );

  it.each([
    ['counts only', 0, 'counts', 'production (2026-11-21T18:04:00.000Z)'],
    [
      'API calls only',
      1,
      'api calls',
      'production (12 APIs, last 2026-11-21T18:03:00.000Z), staging (never)',
    ],
    [
      'both kinds',
      2,
      'counts, api calls',
      'production (counts 2026-11-21T18:00:00.000Z; 1 API, last 2026-11-21T17:59:00.000Z)',
    ],
    ['nothing yet', 3, '-', '-'],
  ])('shows a source that posts %s', (_name, index, posts, environments) => {
    const row = listingRow(listed[index] as (typeof listed)[number]);
    expect([row[4], row[5]]).toEqual([posts, environments]);
  });

  it.each([
    ['judged', 0, 'judged'],
    ['paused', 4, 'paused since 2026-11-20T09:00:00.000Z'],
  ])('says whether a %s source is judged', (_name, index, state) => {
    expect(listingRow(listed[index] as (typeof listed)[number])[6]).toBe(state);
  });
});
