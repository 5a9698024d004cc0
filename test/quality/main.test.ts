import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runEvaluation } from '../../src/quality/main.js';
import { captureOutput } from '../helpers/cli.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function evaluate(args: string[]) {
  const [stdout, stderr] = [captureOutput(), captureOutput()];
  const code = await runEvaluation(args, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const files = ['--findings', join(fixtures, 'findings.jsonl'), '--labels', join(fixtures, 'labels.csv')];

describe('npm run eval', () => {
  describe('when given a findings file and a labels file', () => {
    it('prints the scores as JSON with --json', async () => {
      const { code, stdout } = await evaluate([...files, '--series', '3', '--days', '7', '--json']);
      expect(code).toBe(0);
      const { runs } = JSON.parse(stdout);
      expect(runs).toHaveLength(1);
      expect(runs[0].detectors.findings.overall).toMatchObject({
        incidents: 3,
        caught: 2,
        episodes: 5,
        falseEpisodes: 3,
      });
      expect(runs[0].detectors.baseline).toBeUndefined();
    });

    it('prints a table per metric and per kind', async () => {
      const { code, stdout } = await evaluate([...files, '--series', '3', '--days', '7']);
      expect(code).toBe(0);
      expect(stdout).toContain('3 series × 7 days = 3 source-weeks, 3 incidents');
      expect(stdout).toMatch(/findings\s+all\s+3\s+2\s+0\.667\s+42\s+50\s+5\s+3\s+1\.000\s+0\.400\s+0\.500/);
      expect(stdout).toMatch(/findings\s+kind outage\s+1\s+1\s+1\.000\s+52/);
    });

    it('also scores the naive baseline when counts.csv is at hand', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ratewatch-eval-'));
      const rows = Array.from({ length: 30 }, (_, h) => {
        const hour = new Date(Date.parse('2026-01-12T00:00:00Z') + h * 3_600_000).toISOString().slice(0, 19);
        return `${hour}Z,card-eu,production,${h === 28 ? 500 : 100 + (h % 2)},0,0,0,0,0,0`;
      });
      const counts = join(dir, 'counts.csv');
      writeFileSync(
        counts,
        `minute,source,environment,approved,denied,reversed,failed,processing,backend_reversed,refunded\n${rows.join('\n')}\n`,
      );
      const { code, stdout } = await evaluate([...files, '--counts', counts, '--series', '3', '--json']);
      expect(code).toBe(0);
      const run = JSON.parse(stdout).runs[0];
      expect(run.days).toBeCloseTo(30 / 24, 10);
      expect(run.detectors.baseline.overall).toMatchObject({ caught: 0, episodes: 1, falseEpisodes: 1 });
    });
  });

  describe('when called wrongly', () => {
    it('exits 2 with the usage for --findings without --labels', async () => {
      const { code, stderr } = await evaluate(['--findings', 'x.jsonl']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--findings and --labels go together\nusage:/);
    });

    it('exits 2 naming --oracle-threshold when it is not a positive number', async () => {
      const { code, stderr } = await evaluate(['--baseline-only', '--oracle-threshold', 'low']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--oracle-threshold must be a positive number\nusage:/);
    });

    it('exits 2 when nothing tells the series count and days', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ratewatch-eval-'));
      writeFileSync(join(dir, 'labels.csv'), 'source,environment,metric,kind,start,end,magnitude\n');
      const { code, stderr } = await evaluate([
        '--findings',
        join(fixtures, 'findings.jsonl'),
        '--labels',
        join(dir, 'labels.csv'),
      ]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/give --series and --days/);
    });

    it('exits 1 naming the line when the findings file holds something else', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ratewatch-eval-'));
      writeFileSync(join(dir, 'findings.jsonl'), 'loading model…\n');
      const { code, stderr } = await evaluate([
        '--findings',
        join(dir, 'findings.jsonl'),
        '--labels',
        join(fixtures, 'labels.csv'),
        '--series',
        '3',
        '--days',
        '7',
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/findings line 1 is not JSON/);
    });
  });
});
