import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who a page link was made for: one email recipient (the person it was sent to), or the readers of a Slack
 * message (`where`: the channel the card is routed to, or the user an ephemeral `/alerts show` answered).
 */
export type PageAudience =
  | { readonly kind: 'email'; readonly recipient: string }
  | { readonly kind: 'slack'; readonly where: string };

/** A page token checked: good for this alert until it expires, or why not (said without showing the alert). */
export type CheckedPageToken =
  | { readonly ok: true; readonly audience: PageAudience; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'expired' };

export interface PageLinks {
  /** The page's URL for one alert and audience, valid from `now` for the audience's time to live. */
  urlFor(alertId: number, audience: PageAudience, now: Date): string;
  /** The token alone (the page puts it on its own forms and image). */
  tokenFor(alertId: number, audience: PageAudience, now: Date): string;
  check(token: string | undefined, alertId: number, now: Date): CheckedPageToken;
}

/** The secret that signs links, as the email action links use it (LINK_SECRET, or the one kept in MySQL). */
export interface PageLinkSettings {
  readonly secret: string;
  /** PUBLIC_URL without a trailing slash. */
  readonly publicUrl: string;
  /** How long an email's link works (LINK_TTL_HOURS). */
  readonly emailTtlMs: number;
  /** How long a Slack card's link works: cards stay in the channel, and each edit of the card signs anew. */
  readonly slackTtlMs: number;
}

/** Domain separation from the email action links signed with the same secret: a token of one is not the other. */
const CONTEXT = 'ratewatch-alert-page-v1.';

/**
 * Signed links to the alert page: `<PUBLIC_URL>/alerts/<id>?t=<token>`, token = base64url(JSON of alert id,
 * audience and expiry in epoch seconds) + "." + base64url(HMAC-SHA256(secret, context + payload)). The token
 * only lets its holder see that alert and act on it; the signature is checked first, in constant time, so a
 * tampered token learns nothing, then the alert id, then the expiry.
 */
export function createPageLinks(settings: PageLinkSettings): PageLinks {
  const tokenFor = (alertId: number, audience: PageAudience, now: Date) => {
    const ttl = audience.kind === 'email' ? settings.emailTtlMs : settings.slackTtlMs;
    const expires = Math.floor((now.getTime() + ttl) / 1000);
    const who = audience.kind === 'email' ? { r: audience.recipient } : { s: audience.where };
    const payload = Buffer.from(JSON.stringify({ a: alertId, ...who, e: expires })).toString('base64url');
    return `${payload}.${mac(payload, settings.secret).toString('base64url')}`;
  };
  return {
    tokenFor,
    urlFor: (alertId, audience, now) =>
      `${settings.publicUrl}/alerts/${alertId}?t=${tokenFor(alertId, audience, now)}`,
    check: (token, alertId, now) => checkPageToken(token, alertId, settings.secret, now),
  };
}

export function checkPageToken(
  token: string | undefined,
  alertId: number,
  secret: string,
  now: Date,
): CheckedPageToken {
  if (!token) return { ok: false, reason: 'missing' };
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' };
  const parsed = parsePayload(payload);
  if (!parsed || parsed.alertId !== alertId) return { ok: false, reason: 'invalid' };
  if (parsed.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, audience: parsed.audience, expiresAt: parsed.expiresAt };
}

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest();
}

function parsePayload(payload: string) {
  try {
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (!Number.isSafeInteger(p.a) || !Number.isSafeInteger(p.e)) return undefined;
    const audience: PageAudience | undefined =
      typeof p.r === 'string'
        ? { kind: 'email', recipient: p.r }
        : typeof p.s === 'string'
          ? { kind: 'slack', where: p.s }
          : undefined;
    if (!audience) return undefined;
    return { alertId: p.a as number, audience, expiresAt: new Date((p.e as number) * 1000) };
  } catch {
    return undefined;
  }
}
