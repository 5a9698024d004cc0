import { foundation } from './001-foundation.js';
import { alertsAndModels } from './002-alerts-and-models.js';
import { slack } from './003-slack.js';
import { email } from './004-email.js';
import { outbox } from './005-outbox.js';
import { apiCalls } from './006-api-calls.js';
import { ticks } from './007-ticks.js';
import { apiAlerts } from './008-api-alerts.js';
import { slackCharts } from './009-slack-charts.js';
import { apiBands } from './010-api-bands.js';
import type { Migration } from './migration.js';

/** Every migration, oldest first. Add a new file `NNN-what.ts` and append it here. */
export const migrations: readonly Migration[] = [
  foundation,
  alertsAndModels,
  slack,
  email,
  outbox,
  apiCalls,
  ticks,
  apiAlerts,
  slackCharts,
  apiBands,
];
