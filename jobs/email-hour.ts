import type { EmailDeps } from '../src/email/email-deps.js';
import { emailHour } from '../src/email/hour-emails.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import { asJob } from './job-support.js';

/** `email-hour` {hourStart, raised, recovered}: one email (single or digest) per recipient for an evaluated hour. */
export function createEmailHourHandler(deps: EmailDeps): JobHandler<typeof JOB.emailHour> {
  return ({ data }) => asJob(() => emailHour(deps, { ...data, hourStart: new Date(data.hourStart) }));
}
