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

/**
 * A token checked: a genuine unexpired link (with the hash that marks it used), or why not — `rotated` when it
 * names another secret than the one signing links now (LINK_SECRET set or changed since it was sent).
 */
export type CheckedToken =
  | { readonly ok: true; readonly link: ActionLink; readonly linkHash: string }
  | { readonly ok: false; readonly reason: 'invalid' | 'rotated' }
  | { readonly ok: false; readonly reason: 'expired'; readonly link: ActionLink };

export interface ActionLinks {
  /** The acknowledge and resolve links this alert's state allows, for one recipient, valid from `now`. */
  urlsFor(alert: Alert, recipient: string, now: Date): ActionUrls;
  check(token: string, now: Date): CheckedToken;
}

/** Domain separation: this key signs nothing else with the same bytes. */
const CONTEXT = 'ratewatch-email-action-v1.';
const KEY_ID_CONTEXT = 'ratewatch-email-action-key-id';
const PATH = '/email/actions/';

/**
 * Signed action links: `<PUBLIC_URL>/email/actions/<token>`, token = base64url(JSON of alert id, action,
 * recipient, expiry in epoch seconds, key id) + "." + base64url(HMAC-SHA256(secret, context + payload)).
 * The key id (8 characters of an HMAC of the secret; it tells nothing about it) lets a link signed with an older
 * secret be told apart from a forged one, so its recipient learns why it stopped working. Verification is
 * constant-time; single use is the caller's (a row per used link's hash).
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
      k: keyId(secret),
    }),
  ).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/**
 * Checks the signature first (a forged link learns nothing else), then expiry. A token whose signature fails
 * but whose payload names another key id was signed with a secret since replaced: `rotated`.
 */
export function checkToken(token: string, secret: string, now: Date): CheckedToken {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    const named = keyIdOf(payload);
    return { ok: false, reason: named !== undefined && named !== keyId(secret) ? 'rotated' : 'invalid' };
  }
  const link = parsePayload(payload);
  if (!link) return { ok: false, reason: 'invalid' };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', link };
  return { ok: true, link, linkHash: createHash('sha256').update(token).digest('hex') };
}

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest();
}

/** Which secret signed a link, without telling anything about the secret. */
function keyId(secret: string): string {
  return createHmac('sha256', secret).update(KEY_ID_CONTEXT).digest('base64url').slice(0, 8);
}

function keyIdOf(payload: string): string | undefined {
  try {
    const k = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k?: unknown }).k;
    return typeof k === 'string' ? k : undefined;
  } catch {
    return undefined;
  }
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
