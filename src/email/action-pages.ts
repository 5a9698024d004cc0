import type { Alert } from '../alerts/alert.js';
import type { AlertAction } from '../alerts/alert-state.js';
import { alertFacts, utc } from './alert-facts.js';
import { escapeHtml, factsTable, htmlDocument, paragraph } from './html.js';

/** An HTML page and its status code. */
export interface Page {
  readonly status: number;
  readonly html: string;
}

const VERB: Record<AlertAction, string> = { acknowledge: 'Acknowledge', resolve: 'Resolve' };
const DONE: Record<AlertAction, string> = { acknowledge: 'acknowledged', resolve: 'resolved' };

/** The page a link opens: the alert's facts and one button. Nothing changes until the button is pressed. */
export function confirmationPage(input: {
  alert: Alert;
  action: AlertAction;
  recipient: string;
  timeZone: string;
  expiresAt: Date;
}): Page {
  const { alert, action } = input;
  const title = `${VERB[action]} alert #${alert.id}?`;
  const body = [
    `<h1 style="font-size:20px">${escapeHtml(title)}</h1>`,
    `<h2 style="font-size:16px">${escapeHtml(alert.title)}</h2>`,
    factsTable(alertFacts(alert, input.timeZone)),
    paragraph(`This will be recorded as ${input.recipient}, through email.`),
    // No action attribute: the form posts back to this very URL, token included.
    `<form method="post"><input type="hidden" name="confirm" value="yes">` +
      `<button type="submit" style="padding:8px 14px;font-size:15px">${escapeHtml(`${VERB[action]} alert #${alert.id}`)}</button></form>`,
    `<p style="font-size:12px;color:#6b7280">${escapeHtml(`The link works once, until ${utc(input.expiresAt)}.`)}</p>`,
  ].join('\n');
  return { status: 200, html: htmlDocument(title, body) };
}

/** The action was carried out. */
export function donePage(alert: Alert, action: AlertAction, recipient: string): Page {
  const title = `Alert #${alert.id} ${DONE[action]}`;
  return message(200, title, [
    `Alert #${alert.id} (${alert.source}/${alert.environment} ${alert.metric}) is now ${DONE[action]}.`,
    `Recorded as ${recipient}, through email. The Slack card follows.`,
  ]);
}

/** The alert's state does not allow the action (someone got there first). */
export function refusedPage(alertId: number, action: AlertAction, reason: string): Page {
  return message(409, `Alert #${alertId} was not changed`, [
    `Nothing changed: the alert could not be ${DONE[action]} because ${reason}.`,
  ]);
}

/** Why a link cannot act, as a page that says so plainly. */
export function linkProblemPage(
  problem: 'invalid' | 'rotated' | 'expired' | 'used' | 'not_found' | 'unconfirmed',
): Page {
  switch (problem) {
    case 'invalid':
      return message(400, 'This link is not valid', [
        'The link is damaged or was not made by this ratewatch server. Nothing was changed.',
      ]);
    case 'expired':
      return message(410, 'This link has expired', [
        'Action links work for a limited time. Nothing was changed: use Slack, the API or a newer email.',
      ]);
    case 'used':
      return message(410, 'This link was already used', [
        'Each action link works once. Nothing was changed this time.',
      ]);
    case 'not_found':
      return message(404, 'No such alert', [
        'The alert this link is about does not exist. Nothing was changed.',
      ]);
    case 'rotated':
      return message(410, 'This link no longer works', [
        'This link was signed with a secret that has since changed (LINK_SECRET was set or rotated on this server), so it cannot act any more. Nothing was changed: use Slack, the API or a newer email.',
      ]);
    case 'unconfirmed':
      return message(400, 'Please confirm on the page', [
        'Open the link and press the button on the page it shows. Nothing was changed.',
      ]);
  }
}

function message(status: number, title: string, lines: readonly string[]): Page {
  return {
    status,
    html: htmlDocument(
      title,
      [`<h1 style="font-size:20px">${escapeHtml(title)}</h1>`, ...lines.map(paragraph)].join('\n'),
    ),
  };
}
