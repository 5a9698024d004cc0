import type { Registry } from 'prom-client';
import type { Routes } from './server.js';

/** `GET /metrics`: Prometheus text exposition of this process's metrics. */
export function metricsRoutes(registry: Registry): Routes {
  return (app) => {
    app.get('/metrics', async (_request, reply) =>
      reply.header('content-type', registry.contentType).send(await registry.metrics()),
    );
  };
}
