import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  apiProfileResolver,
  parseConfigFile,
  profileResolver,
  runbookResolver,
} from '../../src/config-file.js';
import { ConfigError } from '../../src/errors.js';

describe('loadConfig', () => {
  it('defaults to the services on this machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      mysqlUrl: 'mysql://root@127.0.0.1:3306/ratewatch',
      redisUrl: 'redis://127.0.0.1:6379',
      roles: ['web', 'worker', 'scheduler'],
      retention: { minuteDays: 35, rollupDays: 400 },
      slack: { mode: 'off' },
    });
    expect(Object.isFrozen(config.slack)).toBe(true);
  });

  it('reports every problem at once, never echoing a value', () => {
    const env = {
      PORT: 'eighty',
      MYSQL_URL: 'postgres://x/y',
      ROLES: 'web,cook',
      INGEST_TOKEN: 'short',
      SLACK_APP_TOKEN: 'secret-value',
    };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['INGEST_TOKEN', 'MYSQL_URL', 'PORT', 'ROLES', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN'].sort(),
    );
    expect((error as Error).message).not.toContain('secret-value');
  });

  it('ticks every 10 minutes by default, or at any cadence that divides the hour', () => {
    expect(loadConfig({}).detection.everyMinutes).toBe(10);
    for (const good of [1, 5, 15, 20, 30, 60]) {
      expect(loadConfig({ EVALUATE_EVERY_MINUTES: String(good) }).detection.everyMinutes).toBe(good);
    }
    for (const bad of ['7', '45', '90', '0', 'often']) {
      expect(() => loadConfig({ EVALUATE_EVERY_MINUTES: bad })).toThrow(/EVALUATE_EVERY_MINUTES/);
    }
  });

  it('chooses the Slack mode from the tokens given', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack.mode).toBe('http');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.mode).toBe('socket');
  });
});

describe('the RATEWATCH_CONFIG file', () => {
  it('reports each mistake with its line', () => {
    const text = [
      'sources:',
      '  card-eu:',
      '    timezone: Mars/Olympus',
      '    detection:',
      '      treshold: 5',
      'routing:',
      '  digest_threshold: 0',
    ].join('\n');
    let error: unknown;
    try {
      parseConfigFile(text, 'ratewatch.yml');
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        'ratewatch.yml line 3 (sources.card-eu.timezone): is not an IANA time zone such as Europe/Berlin',
        'ratewatch.yml line 5 (sources.card-eu.detection.treshold): is not a known setting',
        'ratewatch.yml line 7 (routing.digest_threshold): must be at least 1',
      ]),
    );
  });

  it('lets a source that never has reporting gaps page its silences sooner', () => {
    const file = parseConfigFile(
      'sources:\n  card-eu:\n    detection:\n      silence_minutes: 15\n      tick_penalty: 0.75\n',
    );
    const profileOf = profileResolver(file);
    expect(profileOf('card-eu').settings).toMatchObject({ silenceMinutes: 15, tickPenalty: 0.75 });
    expect(() =>
      parseConfigFile('sources:\n  a:\n    detection:\n      silence_minutes: 5\n', 'x.yml'),
    ).toThrow(/silence_minutes/);
  });

  it('reports broken YAML with its line', () => {
    expect(() => parseConfigFile('sources:\n  a: [1, 2\n', 'x.yml')).toThrow(/x\.yml line \d/);
  });

  it("reads each source's runbook link, falling back to the defaults' one", () => {
    const file = parseConfigFile(
      'defaults:\n  runbook_url: https://wiki.example.com/payments\nsources:\n  card-eu:\n    runbook_url: https://wiki.example.com/card-eu\n',
    );
    const runbookOf = runbookResolver(file);
    expect(runbookOf('card-eu')).toBe('https://wiki.example.com/card-eu');
    expect(runbookOf('card-us')).toBe('https://wiki.example.com/payments');
    expect(runbookResolver(undefined)('card-eu')).toBeUndefined();
  });

  it('refuses a runbook link that is not http or https, with its line', () => {
    expect(() =>
      parseConfigFile(
        'sources:\n  card-eu:\n    timezone: UTC\n    runbook_url: javascript:alert(1)\n',
        'rw.yml',
      ),
    ).toThrow(/rw\.yml line 4 \(sources\.card-eu\.runbook_url\): must be an http:\/\/ or https:\/\/ URL/);
  });

  it('routes by an api pattern, and refuses one that is no api name, with its line', () => {
    const file = parseConfigFile(
      'routing:\n  rules:\n    - match: { api: "POST /v1/*" }\n      channel: "#payments-api"\n',
    );
    expect(file.routing?.rules?.[0]?.match.api).toBe('POST /v1/*');
    expect(() =>
      parseConfigFile(
        'routing:\n  rules:\n    - channel: "#x"\n      match:\n        api: "POST /v1/* "\n',
        'rw.yml',
      ),
    ).toThrow(/rw\.yml line 5 \(routing\.rules\.0\.match\.api\): must not start or end with a space/);
  });

  describe('API sources', () => {
    it('judge 4xx and take a latency SLO only where the file says so', () => {
      const file = parseConfigFile(
        [
          'defaults:',
          '  latency_slo_ms: 2000',
          'sources:',
          '  checkout-api:',
          '    latency_slo_ms: 800',
          '    detection:',
          '      judge_4xx: true',
          '      cold_start_ceilings: { errors: 0.02 }',
        ].join('\n'),
      );
      const profileOf = apiProfileResolver(file);
      expect(profileOf('checkout-api').settings).toMatchObject({
        judge4xx: true,
        latencySloMs: 800,
        coldStartCeilings: { errors: 0.02 },
      });
      expect(profileOf('search-api').settings).toMatchObject({
        judge4xx: false,
        latencySloMs: 2000,
        coldStartCeilings: { errors: 0.05 },
      });
      expect(apiProfileResolver(undefined)('x').settings.judge4xx).toBe(false);
    });

    it('reports a judge_4xx that is not a boolean and an SLO that is not positive, with their lines', () => {
      const text =
        'sources:\n  checkout-api:\n    latency_slo_ms: -5\n    detection:\n      judge_4xx: yes please\n';
      let error: unknown;
      try {
        parseConfigFile(text, 'rw.yml');
      } catch (caught) {
        error = caught;
      }
      expect((error as ConfigError).problems).toEqual(
        expect.arrayContaining([
          'rw.yml line 3 (sources.checkout-api.latency_slo_ms): must be above 0',
          'rw.yml line 5 (sources.checkout-api.detection.judge_4xx): must be true or false',
        ]),
      );
    });
  });
});
