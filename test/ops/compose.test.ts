import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { ROOT } from '../helpers/process.js';

type Service = { environment?: Record<string, string>; ports?: string[]; healthcheck?: { test: string[] } };
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};

// There is no Docker engine here: what the quick start relies on is read from the file itself.
describe('docker-compose.yml, for `docker compose up -d mysql redis mailpit` and ratewatch on the host', () => {
  it("lets root into MySQL without a password, as ratewatch's default MYSQL_URL does", () => {
    const mysql = compose.services.mysql as Service;
    expect(mysql.environment).toMatchObject({
      MYSQL_ALLOW_EMPTY_PASSWORD: 'yes',
      MYSQL_DATABASE: 'ratewatch',
    });
    expect(mysql.environment).not.toHaveProperty('MYSQL_ROOT_PASSWORD');
    expect(mysql.healthcheck?.test).toEqual([
      'CMD',
      'mysqladmin',
      'ping',
      '-h',
      '127.0.0.1',
      '-u',
      'root',
      '--silent',
    ]);
    expect(new URL(loadConfig({}).mysqlUrl)).toMatchObject({ username: 'root', password: '', port: '3306' });
    expect(mysql.ports).toEqual(['127.0.0.1:3306:3306']);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(3);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('points the ratewatch service at that MySQL the same way', () => {
    const url = new URL(compose.services.ratewatch?.environment?.MYSQL_URL ?? '');
    expect(url).toMatchObject({ username: 'root', password: '', hostname: 'mysql' });
  });
});
