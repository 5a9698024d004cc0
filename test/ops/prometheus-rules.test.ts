import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.js';

function promtool(...args: string[]): string {
  const run = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool is needed (apt-get install prometheus): ${run.error.message}`);
  expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  return run.stdout;
}

describe('the Prometheus alert rules shipped in ops/prometheus', () => {
  it('are valid rules', () => {
    expect(promtool('check', 'rules', 'ops/prometheus/ratewatch-rules.yml')).toContain(
      'SUCCESS: 7 rules found',
    );
  });

  it('fire when they should, and not before (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'ops/prometheus/ratewatch-rules.test.yml')).toContain('SUCCESS');
  });
});
