import type { Routes } from './server.js';

export interface HealthDeps {
  /** Each named check resolves when its dependency answers and rejects when it does not. */
  readonly checks: Readonly<Record<string, () => Promise<unknown>>>;
  readonly timeoutMs?: number;
}

/** `GET /healthz`: the process is alive. `GET /readyz`: every dependency (MySQL, Redis) answers. */
export function healthRoutes(deps: HealthDeps): Routes {
  const timeoutMs = deps.timeoutMs ?? 2000;
  return (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_request, reply) => {
      const entries = await Promise.all(
        Object.entries(deps.checks).map(
          async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const,
        ),
      );
      const checks = Object.fromEntries(entries);
      const ready = entries.every(([, result]) => result === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    });
  };
}

async function runCheck(check: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => 'ok'), timeout]);
  } catch (error) {
    return `unreachable (${(error as { code?: string }).code ?? 'error'})`;
  } finally {
    clearTimeout(timer);
  }
}
