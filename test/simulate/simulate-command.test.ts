import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ratewatch-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function simulate(args: string[]) {
  return cli(['simulate', ...args], {});
}

describe('npm run cli -- simulate', () => {
  describe('when given a seed, a size and a directory', async () => {
    const out = join(dir, 'sim');
    const { code, stderr } = await simulate(['--seed', '4', '--days', '8', '--sources', '5', '--out', out]);
    const counts = readFileSync(join(out, 'counts.csv'), 'utf8').trimEnd().split('\n');

    it('exits 0 and says what it wrote', () => {
      expect(code).toBe(0);
      expect(stderr).toMatch(/^wrote \d+ rows for \d+ series, \d+ incidents and \d+ benign events to /);
    });

    it('writes counts.csv with the exact header and minutes to the second in UTC', () => {
      expect(counts[0]).toBe(
        'minute,source,environment,approved,denied,reversed,failed,processing,backend_reversed,refunded',
      );
      expect(counts[1]).toMatch(/^2026-01-05T00:00:00Z,[a-z0-9.-]+,(production|staging)(,\d+){7}$/);
      expect(counts.at(-1)).toMatch(/^2026-01-12T23:59:00Z,/);
    });

    it('sorts counts.csv by minute, then source', () => {
      const keys = counts.slice(1).map((line) => line.split(',').slice(0, 3).join(' '));
      expect(keys).toEqual([...keys].sort());
    });

    it('with --every 60, writes the same traffic as one row per series and hour', async () => {
      const hourlyOut = join(dir, 'sim-hourly');
      const hourly = await simulate([
        '--seed',
        '4',
        '--days',
        '8',
        '--sources',
        '5',
        '--every',
        '60',
        '--out',
        hourlyOut,
      ]);
      expect(hourly.code).toBe(0);
      const rows = readFileSync(join(hourlyOut, 'counts.csv'), 'utf8').trimEnd().split('\n').slice(1);
      expect(rows.every((line) => /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z,/.test(line))).toBe(true);
      const keys = rows.map((line) => line.split(',').slice(0, 3).join(' '));
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual([...keys].sort());
      // Each hourly row holds exactly that hour's minutes; an hour a reporting gap touched is lost whole.
      const byHour = new Map<string, number>();
      for (const line of counts.slice(1)) {
        const [minute, source, environment, ...numbers] = line.split(',');
        const key = `${minute?.slice(0, 13)} ${source} ${environment}`;
        byHour.set(key, (byHour.get(key) ?? 0) + numbers.reduce((sum, n) => sum + Number(n), 0));
      }
      for (const line of rows) {
        const [minute, source, environment, ...numbers] = line.split(',');
        const total = numbers.reduce((sum, n) => sum + Number(n), 0);
        expect(total).toBe(byHour.get(`${minute?.slice(0, 13)} ${source} ${environment}`));
      }
      expect(rows.length).toBeGreaterThan(byHour.size * 0.9);
      expect(rows.length).toBeLessThanOrEqual(byHour.size);
    });

    it('refuses an --every that does not divide the hour', async () => {
      const { code, stderr } = await simulate(['--every', '7', '--out', join(dir, 'never')]);
      expect(code).toBe(2);
      expect(stderr).toContain('--every must divide the hour');
    });

    it('writes the labels and benign events with their header', () => {
      for (const name of ['labels.csv', 'benign.csv']) {
        const [header, ...lines] = readFileSync(join(out, name), 'utf8').trimEnd().split('\n');
        expect(header).toBe('source,environment,metric,kind,start,end,magnitude');
        for (const line of lines)
          expect(line).toMatch(
            /^[a-z0-9.-]+,(production|staging),(failed|denied|reversed|traffic),[a-z_]+,\S+Z,\S+Z,[\d.]+$/,
          );
      }
    });

    it('describes every series in sources.json', () => {
      const info = JSON.parse(readFileSync(join(out, 'sources.json'), 'utf8'));
      expect(info).toMatchObject({ seed: 4, start: '2026-01-05T00:00:00Z', days: 8 });
      expect(info.sources.length).toBeGreaterThanOrEqual(5);
      expect(Object.keys(info.sources[0])).toEqual(
        expect.arrayContaining([
          'name',
          'environment',
          'time_zone',
          'peak_per_minute',
          'base_rates',
          'posts_when_idle',
        ]),
      );
    });
  });

  describe('when called wrongly', () => {
    it.each([
      [['--days', '0'], /--days must be a whole number from 1 to 366/],
      [['--start', '2026-01-05T00:00:30Z'], /--start must be an ISO-8601 time on a whole minute/],
      [['--sources', 'many'], /--sources must be a whole number/],
    ])('exits 2 for %j', async (args, message) => {
      const { code, stderr } = await simulate([...args, '--out', join(dir, 'wrong')]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    });
  });

  describe('with --kind api-calls', async () => {
    const out = join(dir, 'sim-api');
    const { code, stderr } = await simulate([
      '--kind',
      'api-calls',
      '--seed',
      '2',
      '--days',
      '3',
      '--sources',
      '2',
      '--out',
      out,
    ]);

    it('writes the labelled API-calls CSV, labels with api, and says what it wrote', () => {
      expect(code).toBe(0);
      expect(stderr).toMatch(
        /^wrote \d+ rows for \d+ APIs of \d+ services, \d+ incidents and \d+ benign events to /,
      );
      const csv = readFileSync(join(out, 'api-calls.csv'), 'utf8');
      expect(csv.slice(0, csv.indexOf('\n'))).toBe(
        'minute,source,environment,api,2xx,3xx,4xx,5xx,timeout,silent_failures,le_25,le_50,le_100,le_250,le_500,le_1000,le_2500,le_5000,le_10000,le_inf',
      );
      expect(readFileSync(join(out, 'labels.csv'), 'utf8')).toMatch(
        /^source,environment,api,metric,kind,start,end,magnitude\n/,
      );
      expect(JSON.parse(readFileSync(join(out, 'sources.json'), 'utf8')).kind).toBe('api-calls');
    });

    it('refuses --every, which is for counts', async () => {
      const result = await simulate(['--kind', 'api-calls', '--every', '60', '--out', join(dir, 'x')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--every applies to --kind counts only/);
    });

    it('refuses an unknown kind', async () => {
      const result = await simulate(['--kind', 'payments', '--out', join(dir, 'y')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--kind must be counts or api-calls/);
    });
  });
});
