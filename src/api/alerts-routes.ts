import { z } from 'zod';
import { type Alert, alertToJson } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert-service.js';
import { ALERT_STATUSES, type AlertAction } from '../alerts/alert-state.js';
import type { AlertReader } from '../alerts/alert-store.js';
import { SEVERITIES } from '../detection/types.js';
import { ConflictError, InvalidInputError, NotFoundError, type Problem } from '../errors.js';
import type { ApiAuth } from '../http/auth.js';
import type { Routes } from '../http/server.js';
import { apiNameSchema, ENVIRONMENT_NAME, nameSchema, SOURCE_NAME } from '../ingest/names.js';

// Source, environment and api follow the one rule of every entry point (src/ingest/names.ts); a metric is a
// name of the same shape, up to the 64 characters its column holds (ours: failed|denied|reversed|traffic, and
// for API calls errors|silent_failures|latency|traffic — an external alert with the same key merges into ours).
const source = (what: string) => nameSchema(SOURCE_NAME, `is required: ${what}`);
const environment = nameSchema(ENVIRONMENT_NAME, 'must be a string such as "production"');
const metric = nameSchema(SOURCE_NAME, 'is required: what is wrong, e.g. "failed" or "latency"');

const listQuery = z.strictObject({
  status: z.enum(ALERT_STATUSES, { error: `must be one of ${ALERT_STATUSES.join(', ')}` }).optional(),
  severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
  source: source('a source').optional(),
  environment: environment.optional(),
  api: apiNameSchema.optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
  offset: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .default(0),
});

const externalAlert = z.strictObject({
  source: source('the source (payment system) the alert is about'),
  environment: environment.default('production'),
  api: apiNameSchema.optional(),
  metric,
  severity: z.enum(SEVERITIES, {
    error: (issue) =>
      `${issue.input === undefined ? 'is required:' : 'must be'} one of ${SEVERITIES.join(', ')}`,
  }),
  title: z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters').optional(),
  summary: z.string().max(3000, 'must be at most 3000 characters').optional(),
  producer: z.string().trim().min(1).max(200, 'must be at most 200 characters').optional(),
});

const actionBody = z
  .strictObject({
    actor: z.string({ error: 'is required: who is acting' }).trim().min(1, 'must not be empty').max(200),
    note: z.string().max(1000, 'must be at most 1000 characters').optional(),
  })
  .optional();

/**
 * The alerts API (bearer API_TOKEN): `GET /v1/alerts` with filters and a true `total`, `GET /v1/alerts/{id}`
 * (with its audit trail), `POST /v1/alerts` for external producers, and acknowledge/resolve.
 */
export function alertsRoutes(deps: {
  auth: ApiAuth;
  alerts: AlertReader;
  service: AlertService;
  /** Called for each alert an external producer opened or merged into (metrics). */
  onRaised?: (alert: Alert, outcome: 'created' | 'merged') => void;
}): Routes {
  const operator = async (authorization: string | undefined) =>
    deps.auth.requireOperator(await deps.auth.caller(authorization));
  return (app) => {
    app.get('/v1/alerts', async (request) => {
      await operator(request.headers.authorization);
      const query = check(listQuery, request.query);
      const { alerts, total } = await deps.alerts.list(query, { limit: query.limit, offset: query.offset });
      return { alerts: alerts.map(alertToJson), total, limit: query.limit, offset: query.offset };
    });

    app.get<{ Params: { id: string } }>('/v1/alerts/:id', async (request) => {
      await operator(request.headers.authorization);
      const alert = await found(deps.alerts.get(alertId(request.params.id)));
      const events = await deps.alerts.events(alert.id);
      return {
        ...alertToJson(alert),
        events: events.map((e) => ({
          kind: e.kind,
          actor: e.actor,
          channel: e.channel,
          at: e.createdAt.toISOString(),
          detail: e.detail,
        })),
      };
    });

    app.post('/v1/alerts', async (request, reply) => {
      await operator(request.headers.authorization);
      const body = check(externalAlert, request.body ?? {});
      const result = await deps.service.raiseExternal({
        source: body.source,
        environment: body.environment,
        api: body.api ?? null,
        metric: body.metric,
        severity: body.severity,
        title: body.title ?? defaultTitle(body),
        summary: body.summary ?? null,
        actor: body.producer ?? 'api',
      });
      deps.onRaised?.(result.alert, result.outcome);
      return reply
        .code(result.outcome === 'created' ? 201 : 200)
        .send({ outcome: result.outcome, alert: alertToJson(result.alert) });
    });

    for (const action of ['acknowledge', 'resolve'] as const satisfies AlertAction[]) {
      app.post<{ Params: { id: string } }>(`/v1/alerts/:id/${action}`, async (request) => {
        await operator(request.headers.authorization);
        const id = alertId(request.params.id);
        const body = check(actionBody, request.body ?? undefined);
        const result = await deps.service.act({
          id,
          action,
          actor: body?.actor ?? 'api',
          channel: 'api',
          note: body?.note,
        });
        if (result.kind === 'not_found') throw new NotFoundError(`no alert ${id}`);
        if (result.kind === 'refused')
          throw new ConflictError(`alert ${id} was not changed: ${result.reason}`);
        return { alert: alertToJson(result.alert) };
      });
    }
  };
}

function check<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems: Problem[] = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: 'is not a known field' }))
      : [{ path: issue.path.join('.') || 'body', message: issue.message }],
  );
  throw new InvalidInputError(problems);
}

function alertId(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value))
    throw new InvalidInputError([{ path: 'id', message: 'must be an alert id (a positive whole number)' }]);
  return Number(value);
}

async function found(alert: Promise<Alert | undefined>): Promise<Alert> {
  const value = await alert;
  if (!value) throw new NotFoundError('no such alert');
  return value;
}

/** `latency on acquirer-gw/production`, or `latency of POST /v1/payments on checkout-api/production`. */
function defaultTitle(body: {
  source: string;
  environment: string;
  api?: string | undefined;
  metric: string;
}) {
  const api = body.api === undefined ? '' : ` of ${body.api}`;
  return `${body.metric}${api} on ${body.source}/${body.environment}`.slice(0, 300);
}
