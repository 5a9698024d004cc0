import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleError, mapError } from '../http/errors.js';
import type { Routes } from '../http/server.js';
import type { ApiCallsIngestor, LogResult, SummariesResult } from '../ingest/ingest-api-calls.js';
import type { Identity } from '../ingest/ingest-counts.js';

/** Which of the two endpoints, for metrics. */
export type ApiCallsEndpoint = 'summaries' | 'log';

export interface ApiCallsRouteDeps {
  readonly ingestor: ApiCallsIngestor;
  /** The counts route's check of `Authorization: Bearer`: the same tokens post both kinds. */
  readonly authenticate: (authorization: string | undefined) => Promise<Identity>;
  readonly onSummaries?: (result: SummariesResult) => void;
  readonly onLog?: (result: LogResult) => void;
  readonly onRejected?: (endpoint: ApiCallsEndpoint, reason: string) => void;
}

const NDJSON = 'application/x-ndjson';
const identities = new WeakMap<FastifyRequest, Identity>();

/**
 * `POST /v1/api-calls` (per-minute summaries: `202 {"accepted": N}`) and `POST /v1/api-calls/log` (raw call
 * records as a JSON array or NDJSON: `202 {"accepted": records, "minutes": N}`; a repeated Idempotency-Key
 * `200 {"accepted": 0, "minutes": 0, "repeated": true}`). As `POST /v1/counts`, the token is checked before the
 * body is read, and the ingestor validates everything before it stores all or nothing.
 */
export function apiCallsRoutes(deps: ApiCallsRouteDeps): Routes {
  return (app) => {
    app.post('/v1/api-calls', {
      ...guards(deps, 'summaries'),
      handler: async (request, reply) => {
        const result = await deps.ingestor.ingestSummaries(identityOf(request), request.body);
        deps.onSummaries?.(result);
        return reply.code(202).send({ accepted: result.accepted });
      },
    });
    // A scope of its own: NDJSON is taken here only, and its 415 names both types.
    app.register(async (scope) => {
      scope.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_request, body, done) => done(null, body));
      scope.setErrorHandler(logErrorHandler);
      scope.post('/v1/api-calls/log', {
        ...guards(deps, 'log'),
        handler: async (request, reply) => {
          const result = await deps.ingestor.ingestLog(identityOf(request), {
            body: request.body,
            ndjson: isNdjson(request),
            idempotencyKey: headerValue(request.headers['idempotency-key']),
          });
          deps.onLog?.(result);
          if (result.repeated) return reply.code(200).send({ accepted: 0, minutes: 0, repeated: true });
          return reply.code(202).send({ accepted: result.accepted, minutes: result.minutes });
        },
      });
    });
  };
}

function guards(deps: ApiCallsRouteDeps, endpoint: ApiCallsEndpoint) {
  return {
    onRequest: async (request: FastifyRequest) => {
      identities.set(request, await deps.authenticate(request.headers.authorization));
    },
    onError: async (_request: FastifyRequest, _reply: FastifyReply, error: Error) => {
      deps.onRejected?.(endpoint, mapError(error).body.error);
    },
  };
}

function identityOf(request: FastifyRequest): Identity {
  const identity = identities.get(request);
  if (!identity) throw new Error('onRequest did not authenticate');
  return identity;
}

function isNdjson(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === NDJSON;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function logErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error.code !== 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return handleError(error, request, reply);
  return reply.code(415).send({
    error: 'unsupported_media_type',
    message: `Content-Type must be application/json (an array of call records) or ${NDJSON}`,
  });
}
