import { emailFallback } from '../src/email/alert-emails.js';
import type { EmailDeps } from '../src/email/email-deps.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import { asJob } from './job-support.js';

/**
 * `email-fallback` {alertId, revision}, queued by the Slack side when delivering that revision's card finally
 * failed: the routing's fallback recipients get the alert by email.
 */
export function createEmailFallbackHandler(deps: EmailDeps): JobHandler<typeof JOB.emailFallback> {
  return ({ data }) => asJob(() => emailFallback(deps, data.alertId, data.revision));
}
