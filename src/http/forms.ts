import type { FastifyInstance } from 'fastify';

/**
 * Lets the routes of `scope` (an encapsulated Fastify scope: the rest of the server stays JSON-only) take HTML
 * form posts (`application/x-www-form-urlencoded`) of at most `limitBytes`, parsed into a plain object of strings.
 */
export function acceptForms(scope: FastifyInstance, limitBytes: number): void {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: limitBytes },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
}
