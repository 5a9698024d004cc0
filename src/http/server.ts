import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from '../logger.js';
import { handleError } from './errors.js';

/** A handler that takes the raw request (e.g. Bolt's receiver, which verifies Slack's signature over raw bytes). */
export type RawListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Registers a group of routes on the app. */
export type Routes = (app: FastifyInstance) => void;

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly routes: readonly Routes[];
  /** Paths served by raw listeners instead of Fastify, e.g. `{ '/slack/events': boltListener }`. */
  readonly rawListeners?: Readonly<Record<string, RawListener>>;
}

/**
 * The one HTTP server: Fastify for the API, with raw listeners (Slack) in front of it on the same port.
 * Request logging is off: a log line per post would cost more than the post. Errors are logged once by handleError.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const raw = options.rawListeners ?? {};
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    serverFactory: (handler) =>
      createServer((req, res) => {
        const listener = raw[(req.url ?? '').split('?')[0] ?? ''];
        if (listener) listener(req, res);
        else handler(req, res);
      }),
  });
  // Only JSON bodies are accepted: anything else is a 415, not a string handed to a route.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );
  for (const routes of options.routes) routes(app);
  return app;
}
