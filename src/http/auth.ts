import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { SourceDirectory } from '../ingest/source-directory.js';
import { bearerToken, tokensMatch } from '../ingest/tokens.js';

export type ApiCaller =
  | { readonly kind: 'operator' }
  | { readonly kind: 'source'; readonly sourceName: string };

/** Checks `Authorization: Bearer` on the read/triage API: `API_TOKEN` may do anything, a source token may read its own source. */
export function createApiAuth(deps: { apiToken: string | undefined; directory: SourceDirectory }) {
  return {
    async caller(authorization: string | undefined): Promise<ApiCaller> {
      const token = bearerToken(authorization);
      if (!token) throw new UnauthorizedError('send "Authorization: Bearer <API_TOKEN>"');
      if (tokensMatch(token, deps.apiToken)) return { kind: 'operator' };
      const source = await deps.directory.sourceForToken(token);
      if (!source) throw new UnauthorizedError('the bearer token is not the API token nor a source token');
      return { kind: 'source', sourceName: source.name };
    },
    /** Throws ForbiddenError unless the caller is the operator (API_TOKEN). */
    requireOperator(caller: ApiCaller): void {
      if (caller.kind !== 'operator')
        throw new ForbiddenError('this needs the API token, not a source token');
    },
    /** Throws ForbiddenError unless the caller may read `sourceName`. */
    requireSource(caller: ApiCaller, sourceName: string): void {
      if (caller.kind === 'source' && caller.sourceName !== sourceName) {
        throw new ForbiddenError(`this token belongs to source "${caller.sourceName}", not "${sourceName}"`);
      }
    },
  };
}

export type ApiAuth = ReturnType<typeof createApiAuth>;
