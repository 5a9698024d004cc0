/**
 * Text for Slack's mrkdwn with everything user-controlled made inert: `&`, `<` and `>` are the only characters
 * Slack's parser treats as control characters (`<!channel>`, `<@U123>`, `<https://x|click>`), and escaping them
 * as Slack documents turns such sequences into plain text. Without `link_names` a bare "@channel" does not
 * notify anyone, so nothing else needs escaping.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack user mention we made ourselves (`<@U123>`), which may stay a mention; anything else is escaped. */
export function actorText(actor: string): string {
  return /^<@[UW][A-Z0-9]{2,}>$/.test(actor) ? actor : escapeText(actor);
}

/** Cuts text to at most `max` characters (Slack rejects longer section texts), marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
