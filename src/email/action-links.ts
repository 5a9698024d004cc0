import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert } from '../alerts/alert.js';
import type { AlertAction } from '../alerts/alert-state.js';
import type { ActionUrls } from './alert-message.js';

/** What a signed link allows: one action on one alert, by one recipient, until it expires. */
export interface ActionLink {
  readonly alertId: number;
  readonly action: AlertAction;
  readonly recipient: string;
  readonly expiresAt: Date;
}

/** A token checked: a genuine unexpired link (with the hash that marks it used), or why not. */
export type CheckedToken =
  | { readonly ok: true; readonly link: ActionLink; readonly linkHash: string }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'expired'; readonly link: ActionLink };

export interface ActionLinks {
  /** The acknowledge and resolve links this alert's state allows, for one recipient, valid from `now`. */
  urlsFor(alert: Alert, recipient: string, now: Date): ActionUrls;
  check(token: string, now: Date): CheckedToken;
}

/** Domain separation: this key signs nothing else with the same bytes. */
const CONTEXT = 'ratewatch-email-action-v1.';
const PATH = '/email/actions/';

/**
 * Signed action links: `<PUBLIC_URL>/email/actions/<token>`, token = base64url(JSON of alert id, action,
 * recipient, expiry in epoch seconds) + "." + base64url(HMAC-SHA256(LINK_SECRET, context + payload)).
 * Verification is constant-time; single use is the caller's (a row per used link's hash).
 */
export function createActionLinks(settings: {
  secret: string;
  publicUrl: string;
  ttlMs: number;
}): ActionLinks {
  const url = (link: ActionLink) => `${settings.publicUrl}${PATH}${signToken(link, settings.secret)}`;
  return {
    urlsFor(alert, recipient, now) {
      const expiresAt = new Date(Math.floor((now.getTime() + settings.ttlMs) / 1000) * 1000);
      const base = { alertId: alert.id, recipient, expiresAt };
      return {
        kind: 'links',
        expiresAt,
        acknowledge: alert.status === 'new' ? url({ ...base, action: 'acknowledge' }) : undefined,
        resolve: alert.status !== 'resolved' ? url({ ...base, action: 'resolve' }) : undefined,
      };
    },
    check: (token, now) => checkToken(token, settings.secret, now),
  };
}

/** The token of a link. */
export function signToken(link: ActionLink, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({
      a: link.alertId,
      x: link.action,
      r: link.recipient,
      e: Math.floor(link.expiresAt.getTime() / 1000),
    }),
  ).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** Checks signature first (a forged link learns nothing else), then expiry. */
export function checkToken(token: string, secret: string, now: Date): CheckedToken {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' };
  const link = parsePayload(payload);
  if (!link) return { ok: false, reason: 'invalid' };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', link };
  return { ok: true, link, linkHash: createHash('sha256').update(token).digest('hex') };
}

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest();
}

function parsePayload(payload: string): ActionLink | undefined {
  try {
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const valid =
      Number.isSafeInteger(p.a) &&
      (p.x === 'acknowledge' || p.x === 'resolve') &&
      typeof p.r === 'string' &&
      Number.isSafeInteger(p.e);
    if (!valid) return undefined;
    return {
      alertId: p.a as number,
      action: p.x as AlertAction,
      recipient: p.r as string,
      expiresAt: new Date((p.e as number) * 1000),
    };
  } catch {
    return undefined;
  }
}
