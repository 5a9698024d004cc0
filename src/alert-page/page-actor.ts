import type { PageAudience } from './page-links.js';

/** A name typed on the page is kept short: it goes into the audit trail next to where the link came from. */
const MAX_NAME = 80;

/**
 * Who acted through the alert page, as the audit trail records it (channel `web`).
 *
 * - A link from an email was made for one recipient, as the email's own action links are: the actor is that
 *   address. (A forwarded email acts as its recipient, exactly as its Acknowledge link would.)
 * - A link on a Slack card is shared with everyone in the channel, and Slack does not tell us who opened it:
 *   recording a person we cannot know would be a lie. The actor says so — "via the Slack card in #card-oncall" —
 *   with the name the person typed on the page in front, marked as given on the page.
 */
export function pageActor(audience: PageAudience, typedName?: string | undefined): string {
  if (audience.kind === 'email') return audience.recipient;
  const name = cleanName(typedName);
  const where = `the Slack card in ${audience.where}`;
  return name ? `${name} (name given on the page, via ${where})` : `someone via ${where}`;
}

/** Whether the page asks for a name: only when the link does not say who holds it. */
export function asksForName(audience: PageAudience): boolean {
  return audience.kind === 'slack';
}

function cleanName(name: string | undefined): string {
  // Control characters and angle brackets out: the name is shown in Slack and HTML, and is no mention.
  return (name ?? '')
    .replace(/[\p{Cc}<>]/gu, '')
    .trim()
    .slice(0, MAX_NAME);
}
