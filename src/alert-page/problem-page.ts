import { escapeHtml } from '../email/html.js';
import { document } from './alert-page-html.js';

export type PageProblem = 'missing' | 'invalid' | 'expired' | 'not_found' | 'no_chart' | 'links_off';

const PROBLEMS: Record<PageProblem, { status: number; title: string; text: string }> = {
  missing: {
    status: 401,
    title: 'This page needs its link',
    text: 'Open the alert from the link in its email or the Open button on its Slack card.',
  },
  invalid: {
    status: 403,
    title: 'This link is not valid',
    text: 'The link is damaged or was not made by this ratewatch server. Open the alert from its email or Slack card.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    text: 'Alert links work for a limited time. Open the alert from a newer email or its Slack card.',
  },
  not_found: { status: 404, title: 'No such alert', text: 'The alert this link is about does not exist.' },
  no_chart: { status: 404, title: 'No chart', text: 'This alert has no chart.' },
  links_off: {
    status: 404,
    title: 'Alert pages are off',
    text: 'This ratewatch server has no LINK_SECRET, so it makes no alert links.',
  },
};

/** A page that says why the alert cannot be shown — and shows nothing of the alert, not even its title. */
export function problemPage(problem: PageProblem): { status: number; html: string } {
  const { status, title, text } = PROBLEMS[problem];
  const body = `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`;
  return { status, html: document(title, body) };
}
