import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEnvFile } from '../src/env-file.js';

const dirWith = (text: string | undefined) => {
  const dir = mkdtempSync(join(tmpdir(), 'rw-env-'));
  if (text !== undefined) writeFileSync(join(dir, '.env'), text);
  return dir;
};

describe('withEnvFile', () => {
  it('adds what .env sets, comments and quotes as Node reads them', () => {
    const dir = dirWith('# a comment\nPORT=3100\nEMAIL_FROM="ratewatch <a@b.c>"\n\nEMPTY=\n');
    expect(withEnvFile({}, dir)).toEqual({ PORT: '3100', EMAIL_FROM: 'ratewatch <a@b.c>', EMPTY: '' });
  });

  it.each([
    ['a value', { PORT: '3200' }, '3200'],
    ['an empty value', { PORT: '' }, ''],
  ])('lets the real environment win with %s', (_what, env, port) => {
    expect(withEnvFile(env, dirWith('PORT=3100\nHOST=0.0.0.0\n'))).toEqual({ PORT: port, HOST: '0.0.0.0' });
  });

  it('is the real environment alone when there is no .env', () => {
    expect(withEnvFile({ PORT: '3300' }, dirWith(undefined))).toEqual({ PORT: '3300' });
  });
});
