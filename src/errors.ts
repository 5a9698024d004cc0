/** Error codes that cross module boundaries. Each has one small class; `cause` wraps the original. */
export const ErrorCode = {
  Config: 'ERR_CONFIG',
  StorageUnavailable: 'ERR_STORAGE_UNAVAILABLE',
  NotFound: 'ERR_NOT_FOUND',
  Conflict: 'ERR_CONFLICT',
  InvalidInput: 'ERR_INVALID_INPUT',
  Unauthorized: 'ERR_UNAUTHORIZED',
  Forbidden: 'ERR_FORBIDDEN',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface CodedError extends Error {
  readonly code: ErrorCode;
}

export function isCodedError(error: unknown, code?: ErrorCode): error is CodedError {
  return (
    error instanceof Error &&
    typeof (error as Partial<CodedError>).code === 'string' &&
    (code === undefined || (error as CodedError).code === code)
  );
}

/** The environment or configuration file is invalid; `problems` lists every mistake, one per line. */
export class ConfigError extends Error implements CodedError {
  readonly code = ErrorCode.Config;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** MySQL (or Redis) cannot be reached right now; the caller may retry later. */
export class StorageUnavailableError extends Error implements CodedError {
  readonly code = ErrorCode.StorageUnavailable;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** A named thing (source, alert) does not exist. */
export class NotFoundError extends Error implements CodedError {
  readonly code = ErrorCode.NotFound;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The request conflicts with the current state (name taken, alert already resolved). */
export class ConflictError extends Error implements CodedError {
  readonly code = ErrorCode.Conflict;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Input from a user or machine is invalid; `problems` lists each one by path. */
export class InvalidInputError extends Error implements CodedError {
  readonly code = ErrorCode.InvalidInput;
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('; '));
    this.name = 'InvalidInputError';
  }
}

/** No credentials, or credentials that match nothing. */
export class UnauthorizedError extends Error implements CodedError {
  readonly code = ErrorCode.Unauthorized;
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** Valid credentials that do not allow this action (a source token posting for another source). */
export class ForbiddenError extends Error implements CodedError {
  readonly code = ErrorCode.Forbidden;
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** One thing wrong with an input, located by a path such as `items[3].counts.failed`. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
