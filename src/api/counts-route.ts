import type { FastifyRequest } from 'fastify';
import { mapError } from '../http/errors.js';
import type { Routes } from '../http/server.js';
import type { CountsIngestor, Identity, IngestQuery, IngestResult } from '../ingest/ingest-counts.js';

export interface CountsRouteDeps {
  readonly ingestor: CountsIngestor;
  /** Called after a post is stored (metrics, onboarding announcements). */
  readonly onAccepted?: (result: IngestResult) => void;
  /** Called when a post is refused, with the reason code of its error answer (`invalid_request`, `unauthorized`…). */
  readonly onRejected?: (reason: string) => void;
}

const identities = new WeakMap<FastifyRequest, Identity>();

/**
 * `POST /v1/counts`. The token is checked before the body is read (an anonymous client cannot make us parse
 * megabytes); then the ingestor validates everything and stores all or nothing. Answers `202 {"accepted": N}`.
 */
export function countsRoutes(deps: CountsRouteDeps): Routes {
  return (app) => {
    app.post('/v1/counts', {
      onRequest: async (request) => {
        identities.set(request, await deps.ingestor.authenticate(request.headers.authorization));
      },
      onError: async (_request, _reply, error) => {
        deps.onRejected?.(mapError(error).body.error);
      },
      handler: async (request, reply) => {
        const identity = identities.get(request);
        if (!identity) throw new Error('onRequest did not authenticate');
        const result = await deps.ingestor.ingest(identity, request.body, queryOf(request));
        deps.onAccepted?.(result);
        return reply.code(202).send({ accepted: result.accepted });
      },
    });
  };
}

function queryOf(request: FastifyRequest): IngestQuery {
  const query = request.query as Record<string, unknown>;
  const single = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { source: single(query.source), environment: single(query.environment) };
}
