import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AlertCharts } from '../alert-chart/alert-charts.js';
import type { Alert } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AlertAction } from '../alerts/alert-state.js';
import type { AlertReader } from '../alerts/alert-store.js';
import { sendPng } from '../api/alert-chart-route.js';
import { acceptForms } from '../http/forms.js';
import type { Routes } from '../http/server.js';
import { alertPageHtml, PAGE_CSS_HASH } from './alert-page-html.js';
import { pageActor } from './page-actor.js';
import type { PageAudience, PageLinks } from './page-links.js';
import { type PageProblem, problemPage } from './problem-page.js';

export interface AlertPageDeps {
  /** Undefined when no secret signs links: every page answers that links are off. */
  readonly links: PageLinks | undefined;
  readonly alerts: AlertReader;
  readonly service: AlertService;
  readonly charts: AlertCharts;
  readonly timeZoneOf: (source: string) => string;
  readonly runbookOf: (source: string) => string | undefined;
  readonly now: () => Date;
}

type Query = { Params: { id: string }; Querystring: { t?: string; done?: string } };

/** A form post is small: a name and a note. */
const FORM_LIMIT_BYTES = 4096;
const DONE: Record<string, string> = {
  acknowledged: 'Acknowledged. The Slack card and the emails follow.',
  resolved: 'Resolved. The Slack card and the emails follow.',
};

/**
 * The alert page (`GET /alerts/{id}?t=<token>`), its chart (`/alerts/{id}/chart.png?t=`) and its two forms
 * (`POST /alerts/{id}/acknowledge|resolve?t=`), all authorised by the page's signed token — never the API
 * token. Viewing changes nothing. A form acts through the alert service (channel `web`, actor from pageActor),
 * then redirects back to the page (303), so a reload does not send it again.
 */
export function alertPageRoutes(deps: AlertPageDeps): Routes {
  return (app) => {
    app.register(async (scope: FastifyInstance) => {
      acceptForms(scope, FORM_LIMIT_BYTES);
      scope.get<Query>('/alerts/:id', async (request, reply) => {
        const found = await authorised(deps, request.params.id, request.query.t);
        if ('problem' in found) return sendProblem(reply, found.problem);
        const notice = request.query.done ? DONE[request.query.done] : undefined;
        return sendPage(
          reply,
          200,
          await renderPage(deps, found, notice ? { ok: true, text: notice } : undefined),
        );
      });
      scope.get<Query>('/alerts/:id/chart.png', async (request, reply) => {
        const found = await authorised(deps, request.params.id, request.query.t);
        if ('problem' in found) return sendProblem(reply, found.problem);
        const chart = await deps.charts.chartOf(found.alert);
        if (chart.kind === 'none') return sendProblem(reply, 'no_chart');
        return sendPng(reply, chart);
      });
      for (const action of ['acknowledge', 'resolve'] as const) {
        scope.post<Query>(`/alerts/:id/${action}`, async (request, reply) => {
          const found = await authorised(deps, request.params.id, request.query.t);
          if ('problem' in found) return sendProblem(reply, found.problem);
          const form = (request.body ?? {}) as Record<string, string | undefined>;
          return act(deps, reply, found, action, form);
        });
      }
    });
  };
}

interface Authorised {
  readonly alert: Alert;
  readonly token: string;
  readonly audience: PageAudience;
}

/** The alert, if the token is genuine, unexpired and for it; else the problem (which shows nothing of it). */
async function authorised(
  deps: AlertPageDeps,
  idText: string,
  token: string | undefined,
): Promise<Authorised | { problem: PageProblem }> {
  if (!deps.links) return { problem: 'links_off' };
  const id = /^[1-9]\d{0,15}$/.test(idText) ? Number(idText) : undefined;
  if (id === undefined) return { problem: token ? 'invalid' : 'missing' };
  const checked = deps.links.check(token, id, deps.now());
  if (!checked.ok) return { problem: checked.reason };
  const alert = await deps.alerts.get(id);
  if (!alert) return { problem: 'not_found' };
  return { alert, token: token as string, audience: checked.audience };
}

async function renderPage(
  deps: AlertPageDeps,
  found: Authorised,
  notice: { ok: boolean; text: string } | undefined,
): Promise<string> {
  const { alert } = found;
  const [events, reason] = await Promise.all([
    deps.alerts.events(alert.id),
    deps.charts.reasonWithout(alert),
  ]);
  return alertPageHtml({
    ...found,
    events,
    timeZone: deps.timeZoneOf(alert.source),
    chart: reason ? { kind: 'none', reason } : { kind: 'image' },
    runbookUrl: deps.runbookOf(alert.source),
    notice,
  });
}

async function act(
  deps: AlertPageDeps,
  reply: FastifyReply,
  found: Authorised,
  action: AlertAction,
  form: Record<string, string | undefined>,
): Promise<FastifyReply> {
  const note = action === 'resolve' ? form.note?.trim().slice(0, 1000) || undefined : undefined;
  const actor = pageActor(found.audience, form.actor);
  const result = await deps.service.act({ id: found.alert.id, action, actor, channel: 'web', note });
  if (result.kind === 'not_found') return sendProblem(reply, 'not_found');
  if (result.kind === 'refused') {
    const text = `Nothing changed: ${result.reason}.`;
    return sendPage(
      reply,
      409,
      await renderPage(deps, { ...found, alert: result.alert }, { ok: false, text }),
    );
  }
  const done = action === 'acknowledge' ? 'acknowledged' : 'resolved';
  const location = `/alerts/${found.alert.id}?t=${encodeURIComponent(found.token)}&done=${done}`;
  return reply.code(303).headers(pageHeaders()).header('location', location).send();
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .headers(pageHeaders())
    .header('content-type', 'text/html; charset=utf-8')
    .send(html);
}

function sendProblem(reply: FastifyReply, problem: PageProblem): FastifyReply {
  const page = problemPage(problem);
  return sendPage(reply, page.status, page.html);
}

/**
 * The page carries a credential in its URL: never cached, never sent on as a referrer, never framed or
 * indexed; images and forms only from here, and no script at all.
 */
function pageHeaders(): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex, nofollow',
    'x-content-type-options': 'nosniff',
    'content-security-policy': `default-src 'none'; img-src 'self'; style-src ${PAGE_CSS_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  };
}
