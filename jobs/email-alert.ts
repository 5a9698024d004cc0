import { emailAlertChange } from '../src/email/alert-emails.js';
import type { EmailDeps } from '../src/email/email-deps.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import { asJob } from './job-support.js';

/** `email-alert` {alertId, revision}: emails one alert's change to the recipients its routing names, once. */
export function createEmailAlertHandler(deps: EmailDeps): JobHandler<typeof JOB.emailAlert> {
  return ({ data }) => asJob(() => emailAlertChange(deps, data.alertId, data.revision));
}
