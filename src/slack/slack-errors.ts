import { webApi } from '@slack/bolt';

/** What a failed Web API call means for delivery. */
export type SlackFailure =
  /** 429: try again after `retryAfterMs`; nothing was posted. */
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number }
  /** Retrying cannot help (bad channel, revoked token, missing scope): hand over to the fallback now. */
  | { readonly kind: 'permanent'; readonly reason: string }
  /** Worth retrying; `maybePosted` when Slack may have taken the message before the failure. */
  | { readonly kind: 'transient'; readonly reason: string; readonly maybePosted: boolean };

/** Platform errors that no retry fixes. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'message_not_found',
  'cant_update_message',
  'team_access_not_granted',
  'invalid_metadata_format',
  'ekm_access_denied',
]);

/** Platform errors after which Slack may have done part of the work (its docs say so for these). */
const MAYBE_DONE = new Set(['fatal_error', 'internal_error', 'request_timeout']);

/** Classifies an error thrown by the Web API client (rejectRateLimitedCalls on, so 429s arrive here). */
export function classifySlackError(error: unknown): SlackFailure {
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (coded.code === webApi.ErrorCode.RateLimitedError) {
    return { kind: 'rate_limited', retryAfterMs: Math.max(1, coded.retryAfter ?? 1) * 1000 };
  }
  if (coded.code === webApi.ErrorCode.PlatformError) {
    const reason = coded.data?.error ?? 'unknown_error';
    if (reason === 'ratelimited') return { kind: 'rate_limited', retryAfterMs: 1000 };
    if (PERMANENT.has(reason)) return { kind: 'permanent', reason };
    return { kind: 'transient', reason, maybePosted: MAYBE_DONE.has(reason) };
  }
  // Network errors, timeouts and non-200 answers: the request may have reached Slack.
  return { kind: 'transient', reason: (error as Error)?.message ?? String(error), maybePosted: true };
}

/** A Slack call that failed, classified; jobs turn it into a delay, a retry or an unrecoverable failure. */
export class SlackDeliveryError extends Error {
  constructor(
    readonly failure: SlackFailure,
    readonly method: string,
    options?: { cause?: unknown },
  ) {
    super(`Slack ${method} failed: ${describeFailure(failure)}`, options);
    this.name = 'SlackDeliveryError';
  }
}

function describeFailure(failure: SlackFailure): string {
  if (failure.kind === 'rate_limited') return `rate limited for ${failure.retryAfterMs} ms`;
  return failure.reason;
}
