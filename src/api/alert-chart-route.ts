import type { FastifyReply } from 'fastify';
import type { AlertChart, AlertCharts } from '../alert-chart/alert-charts.js';
import type { AlertReader } from '../alerts/alert-store.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { ApiAuth } from '../http/auth.js';
import type { Routes } from '../http/server.js';

/**
 * `GET /v1/alerts/{id}/chart.png` (bearer API_TOKEN): the alert's metric over the last 48 hours against its
 * expected band, as PNG. 404 for no such alert, and — with the reason in the body — for an alert that has no
 * chart (an external alert about something ratewatch does not measure).
 */
export function alertChartRoutes(deps: { auth: ApiAuth; alerts: AlertReader; charts: AlertCharts }): Routes {
  return (app) => {
    app.get<{ Params: { id: string } }>('/v1/alerts/:id/chart.png', async (request, reply) => {
      deps.auth.requireOperator(await deps.auth.caller(request.headers.authorization));
      const id = alertIdOf(request.params.id);
      const alert = await deps.alerts.get(id);
      if (!alert) throw new NotFoundError(`no alert ${id}`);
      const chart = await deps.charts.chartOf(alert);
      if (chart.kind === 'none') {
        return reply.code(404).send({ error: 'no_chart', message: chart.reason });
      }
      return sendPng(reply, chart);
    });
  };
}

/** A chart as the answer: private (it is behind a credential), kept as long as it cannot change. */
export function sendPng(reply: FastifyReply, chart: Extract<AlertChart, { kind: 'png' }>): FastifyReply {
  return reply
    .code(200)
    .headers({
      'content-type': 'image/png',
      'cache-control': `private, max-age=${chart.maxAgeSeconds}`,
      'x-content-type-options': 'nosniff',
    })
    .send(chart.png);
}

/** An alert id from the path: a positive whole number. */
export function alertIdOf(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value))
    throw new InvalidInputError([{ path: 'id', message: 'must be an alert id (a positive whole number)' }]);
  return Number(value);
}
