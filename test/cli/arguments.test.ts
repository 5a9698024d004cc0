import { describe, expect, it } from 'vitest';
import { parseCliTime } from '../../src/cli/iso-time.js';
import { cli } from '../helpers/cli.js';

// Arguments are checked before anything is opened: no database is needed to be told what is wrong.
const env = { LOG_LEVEL: 'silent' };
const NOW = () => new Date('2026-12-05T21:23:00Z');

describe('the command line refuses what would judge minutes that have not happened', () => {
  it.each([
    [
      ['evaluate', '--at', '2026-12-05T21:50:00Z'],
      '--at 2026-12-05T21:50:00.000Z is in the future (now 2026-12-05T21:23:00.000Z)',
    ],
    [['evaluate', '--hour', '2026-12-05T22:00:00Z'], '--hour 2026-12-05T22:00:00.000Z has not ended yet'],
    [['evaluate', '--hour', '2026-12-05T21:00:00Z'], '--hour 2026-12-05T21:00:00.000Z has not ended yet'],
    [
      ['evaluate', '--from', '2026-12-05T19:00:00Z', '--to', '2026-12-05T22:00:00Z'],
      '--to 2026-12-05T22:00:00.000Z is in the future',
    ],
  ])('%j exits 2: "%s"', async (args, message) => {
    const run = await cli(args, env, { now: NOW });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

describe('a command called wrongly names every problem with its arguments at once', () => {
  it.each([
    [
      ['simulate', '--seed', 'x', '--days', '0', '--sources', '0'],
      ['--seed must be a whole number', '--days must be a whole number', '--sources must be a whole number'],
    ],
    [
      ['sources', 'add', 'bad name!', '--environment', 'x y'],
      ['the source name must be', '--environment must be'],
    ],
    [
      ['backtest', 'counts.csv', '--from', 'garbage', '--to', '2026-13-01'],
      ['--from must be an ISO-8601 time', '--to must be an ISO-8601 time'],
    ],
    [
      ['backtest', 'counts.csv', '--from', '2026-01-18T00:00:00Z', '--to', '2026-01-17T00:00:00Z'],
      ['--to must be after --from'],
    ],
    [
      ['evaluate', '--from', '2026-11-21T17:30:00Z', '--to', 'later'],
      ['--from must be the start of an hour', '--to must be an ISO-8601 time'],
    ],
  ])('%j', async (args, messages) => {
    const run = await cli(args, env, { now: NOW });
    expect(run.code).toBe(2);
    for (const message of messages) expect(run.stderr).toContain(message);
  });
});

describe('times on the command line', () => {
  it.each([
    ['2026-11-21T17:00:00Z', '2026-11-21T17:00:00.000Z'],
    ['2026-11-21T17:00:00', '2026-11-21T17:00:00.000Z'],
    ['2026-11-21T17:00', '2026-11-21T17:00:00.000Z'],
    ['2026-11-21T18:00:00+01:00', '2026-11-21T17:00:00.000Z'],
    ['2026-11-21', '2026-11-21T00:00:00.000Z'],
  ])('read %s as %s, whatever the machine’s zone', (text, iso) => {
    expect(new Date(parseCliTime(text)).toISOString()).toBe(iso);
  });

  it.each(['2026-11-21 17:00', 'yesterday', '2026-13-01', '17:00'])('refuse %s', (text) => {
    expect(parseCliTime(text)).toBeNaN();
  });
});
