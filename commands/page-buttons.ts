import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AlertFilter } from '../src/alerts/alert.js';
import type { PageValue } from '../src/slack/blocks/alert-list.js';
import type { CommandDeps } from './deps.js';
import { listAlerts } from './list-alerts.js';
import { MAX_LIMIT, parseAlertsCommand } from './parse-alerts-command.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Previous / Next under an /alerts list: replaces the ephemeral list with the requested page. */
export function createPageButtonHandler(deps: CommandDeps) {
  return async ({ ack, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const page = readPage(action.value);
    if (!page) return;
    try {
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...(await listAlerts(deps, page)),
      });
    } catch (error) {
      deps.logger.error({ err: error }, 'alerts page button failed');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: ':warning: Try again in a minute.',
      });
    }
  };
}

/** The page a button asks for, re-validated through the command parser (a button value is user input too). */
function readPage(
  value: string | undefined,
): { filter: AlertFilter; limit: number; offset: number } | undefined {
  try {
    const raw = JSON.parse(value ?? '') as PageValue;
    const f = raw.f ?? {};
    const words = Object.entries({
      status: f.status,
      severity: f.severity,
      source: f.source,
      env: f.environment,
    })
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => `${k}:${v}`);
    const parsed = parseAlertsCommand(['list', ...words, `limit:${raw.l}`].join(' '));
    const offset = Number(raw.o);
    if (parsed.kind !== 'list' || !Number.isInteger(offset) || offset < 0 || raw.l > MAX_LIMIT)
      return undefined;
    return { filter: parsed.filter, limit: parsed.limit, offset };
  } catch {
    return undefined;
  }
}
