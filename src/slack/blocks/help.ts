import { COMMAND } from '../ids.js';
import type { SlackMessage } from './common.js';

/** Every form of /alerts, one line each. */
export const USAGE = [
  `\`${COMMAND}\` or \`${COMMAND} list [status:new|acknowledged|resolved] [severity:low|medium|high|critical] [source:x] [env:production] [api:POST /v1/payments] [limit:10]\` — newest first (\`api:\` takes the words up to the next filter, or \`api:"…"\`)`,
  `\`${COMMAND} show <id>\` — the alert and its audit trail`,
  `\`${COMMAND} ack <id>\` · \`${COMMAND} resolve <id> [note]\``,
  `\`${COMMAND} mute <source> [metric] <duration>\` (e.g. \`30m\`, \`2h\`, \`1d\`) · \`${COMMAND} unmute <source> [metric]\``,
  `\`${COMMAND} help\``,
].join('\n');

/** The help text, with what was wrong first when the command could not be read. Pure. */
export function usageMessage(problem?: string): SlackMessage {
  const intro = problem
    ? `:thinking_face: ${problem}\n\n*Usage*\n`
    : '*ratewatch* — alerts about payment traffic\n\n';
  const text = `${intro}${USAGE}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
