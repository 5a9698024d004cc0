import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { checkServices } from '../../src/demo/preflight.js';

/** Why the demo refuses to start, from the real servers (MySQL on 3306, Redis on 6379; nothing on port 1). */
async function refusal(env: Record<string, string>): Promise<string> {
  try {
    await checkServices(loadConfig(env));
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the demo checking its services first', () => {
  it('says MySQL refused the login when the password in MYSQL_URL is wrong', async () => {
    const message = await refusal({ MYSQL_URL: 'mysql://root:wrong-password@127.0.0.1:3306/ratewatch' });
    expect(message).toMatch(/^MySQL refused the login at 127\.0\.0\.1:3306 as "root" \(Access denied/);
    expect(message).toContain('check the user and password in MYSQL_URL');
    expect(message).not.toContain('does not answer');
    expect(message).not.toContain('wrong-password');
  });

  it('says a server does not answer, and how to start it, when nothing listens', async () => {
    const message = await refusal({
      MYSQL_URL: 'mysql://root@127.0.0.1:1/ratewatch',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(message).toContain('MySQL does not answer at 127.0.0.1:1 (ECONNREFUSED)');
    expect(message).toContain('Redis does not answer at 127.0.0.1:1');
    expect(message).toContain('docker compose up -d mysql redis mailpit');
  });

  it('passes with the default settings against the local servers', async () => {
    expect(await refusal({})).toBe('');
  });
});
