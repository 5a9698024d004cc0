import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AlertService } from '../alerts/alert-service.js';
import type { AlertReader } from '../alerts/alert-store.js';
import { decideTransition } from '../alerts/alert-transition.js';
import { acceptForms } from '../http/forms.js';
import type { Routes } from '../http/server.js';
import type { EmailLinkStore } from '../storage/email-links.js';
import type { ActionLink, ActionLinks } from './action-links.js';
import { confirmationPage, donePage, linkProblemPage, type Page, refusedPage } from './action-pages.js';

export interface EmailActionDeps {
  readonly links: ActionLinks;
  readonly linkUses: EmailLinkStore;
  readonly alerts: AlertReader;
  readonly service: AlertService;
  readonly timeZoneOf: (source: string) => string;
  readonly now: () => Date;
}

/** Small form posts only: the confirmation form has one field. */
const FORM_LIMIT_BYTES = 1024;

/**
 * `GET /email/actions/<token>` shows a confirmation page and changes nothing — mail scanners that prefetch
 * links acknowledge nothing. `POST` from that page acts once: the link's hash is recorded as used first (the
 * primary key decides between two clicks), then alertService.act runs with the recipient as actor and channel
 * 'email', so the audit trail, the Slack card and the email follow as for any other channel.
 */
export function emailActionRoutes(deps: EmailActionDeps): Routes {
  return (app) => {
    // Encapsulated: the form parser serves these routes only; the rest of the server stays JSON-only.
    app.register(async (scope: FastifyInstance) => {
      acceptForms(scope, FORM_LIMIT_BYTES);
      scope.get<{ Params: { '*': string } }>('/email/actions/*', async (request, reply) =>
        send(reply, await showLink(deps, request.params['*'])),
      );
      scope.post<{ Params: { '*': string } }>('/email/actions/*', async (request, reply) => {
        const confirmed = (request.body as Record<string, unknown> | undefined)?.confirm === 'yes';
        return send(reply, await useLink(deps, request.params['*'], confirmed));
      });
    });
  };
}

async function showLink(deps: EmailActionDeps, token: string): Promise<Page> {
  const checked = await checkLink(deps, token);
  if ('status' in checked) return checked;
  const { link } = checked;
  const alert = await deps.alerts.get(link.alertId);
  if (!alert) return linkProblemPage('not_found');
  const verdict = decideTransition(alert, link.action);
  if (!verdict.ok) return refusedPage(alert.id, link.action, verdict.reason);
  return confirmationPage({
    alert,
    action: link.action,
    recipient: link.recipient,
    timeZone: deps.timeZoneOf(alert.source),
    expiresAt: link.expiresAt,
  });
}

async function useLink(deps: EmailActionDeps, token: string, confirmed: boolean): Promise<Page> {
  const checked = await checkLink(deps, token);
  if ('status' in checked) return checked;
  if (!confirmed) return linkProblemPage('unconfirmed');
  const { link, linkHash } = checked;
  const use = { linkHash, alertId: link.alertId, action: link.action, recipient: link.recipient };
  if (!(await deps.linkUses.use(use, deps.now()))) return linkProblemPage('used');
  try {
    const result = await deps.service.act({
      id: link.alertId,
      action: link.action,
      actor: link.recipient,
      channel: 'email',
    });
    if (result.kind === 'not_found') return linkProblemPage('not_found');
    if (result.kind === 'refused') return refusedPage(link.alertId, link.action, result.reason);
    return donePage(result.alert, link.action, link.recipient);
  } catch (error) {
    // Nothing was done: give the link back so the person can try again.
    await deps.linkUses.release(linkHash).catch(() => undefined);
    throw error;
  }
}

/** A genuine, unexpired, unused link — or the page that says why not. */
async function checkLink(
  deps: EmailActionDeps,
  token: string,
): Promise<Page | { link: ActionLink; linkHash: string }> {
  const checked = deps.links.check(token, deps.now());
  if (!checked.ok) return linkProblemPage(checked.reason);
  if (await deps.linkUses.isUsed(checked.linkHash)) return linkProblemPage('used');
  return { link: checked.link, linkHash: checked.linkHash };
}

function send(reply: FastifyReply, page: Page): FastifyReply {
  return reply
    .code(page.status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex, nofollow',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    })
    .send(page.html);
}
