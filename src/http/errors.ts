import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, formatProblem, isCodedError, type Problem } from '../errors.js';
import { isStorageUnavailable } from '../storage/db.js';

/** The JSON body of every error answer: a code, one readable sentence, and for 400s every problem by path. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly problems?: readonly Problem[];
}

interface Mapped {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers?: Record<string, string>;
}

/** Seconds a poster should wait before retrying when storage is down. */
const RETRY_AFTER_SECONDS = 5;

/** Maps any error to its HTTP answer. Unknown errors become a 500 that reveals nothing. */
export function mapError(error: unknown): Mapped {
  if (isCodedError(error)) {
    switch (error.code) {
      case ErrorCode.InvalidInput: {
        const problems = (error as unknown as { problems: Problem[] }).problems;
        const message = `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map(formatProblem).join('; ')}`;
        return { status: 400, body: { error: 'invalid_request', message, problems } };
      }
      case ErrorCode.Unauthorized:
        return {
          status: 401,
          body: { error: 'unauthorized', message: error.message },
          headers: { 'www-authenticate': 'Bearer' },
        };
      case ErrorCode.Forbidden:
        return { status: 403, body: { error: 'forbidden', message: error.message } };
      case ErrorCode.NotFound:
        return { status: 404, body: { error: 'not_found', message: error.message } };
      case ErrorCode.Conflict:
        return { status: 409, body: { error: 'conflict', message: error.message } };
      default:
        break;
    }
  }
  if (isStorageUnavailable(error)) {
    return {
      status: 503,
      body: {
        error: 'storage_unavailable',
        message: 'storage is unavailable; nothing was stored, retry later',
      },
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: { error: 'unsupported_media_type', message: 'Content-Type must be application/json' },
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: { error: 'payload_too_large', message: 'the body is larger than the server accepts' },
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalid({ path: 'body', message: 'must not be empty' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      // Fastify's parser also refuses valid JSON holding "__proto__" or "constructor.prototype" keys (prototype
      // poisoning), under the same error and without saying which.
      return invalid({
        path: 'body',
        message: 'is not valid JSON, or holds a "__proto__" or "constructor.prototype" key',
      });
    default:
      break;
  }
  if (error instanceof SyntaxError)
    return invalid({ path: 'body', message: `is not valid JSON (${error.message})` });
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return {
      status: fastifyError.statusCode,
      body: { error: 'bad_request', message: fastifyError.message ?? 'bad request' },
    };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error; it has been logged' } };
}

function invalid(problem: Problem): Mapped {
  return {
    status: 400,
    body: { error: 'invalid_request', message: `1 problem: ${formatProblem(problem)}`, problems: [problem] },
  };
}

/** Fastify error handler: answers with mapError and logs once — 4xx at info, 5xx at error. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const mapped = mapError(error);
  const context = {
    method: request.method,
    url: request.routeOptions.url ?? request.url,
    status: mapped.status,
  };
  if (mapped.status >= 500) request.log.error({ ...context, err: error }, mapped.body.message);
  else request.log.info({ ...context, reason: mapped.body.error }, mapped.body.message);
  return reply
    .code(mapped.status)
    .headers(mapped.headers ?? {})
    .send(mapped.body);
}
