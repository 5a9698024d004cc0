import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeChannel, type FakeMessage, FakeSlackState } from './slack-state.js';
import { acceptWebSocket, type FakeSocket } from './websocket-server.js';

/** One Web API call as the fake received it: form fields (JSON-valued ones still as JSON text). */
export interface RecordedCall {
  readonly method: string;
  readonly args: Record<string, string>;
  readonly token: string | undefined;
  /** When it arrived (Date.now()). */
  readonly at: number;
}

/** A post to a response_url (what Bolt's respond() sends). */
export interface RecordedResponse {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

/** How the fake answers a method, instead of normally. */
export type Failure =
  | { readonly error: string }
  | { readonly status: 429; readonly retryAfterSeconds: number }
  | { readonly status: 500 }
  /** Slack takes the message, but the answer never arrives (the connection is cut): the crash window. */
  | { readonly takeThenDrop: true };

export const DEFAULT_CHANNELS: readonly FakeChannel[] = [
  { id: 'C0ALERTS01', name: 'alerts' },
  { id: 'C0CARDS001', name: 'card-oncall' },
];

/**
 * A loopback stand-in for Slack: the Web API (form-encoded POSTs to /api/<method>, answers recorded and
 * scriptable: errors, 429 with Retry-After, 500s, a post whose answer is lost), response_url endpoints
 * (/respond/<id>), and a Socket Mode WebSocket endpoint (/socket) that apps.connections.open points at.
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly socketMessages: unknown[] = [];
  readonly sockets: FakeSocket[] = [];
  readonly state: FakeSlackState;
  private readonly failures: { method: string; failure: Failure }[] = [];
  private readonly server: Server;

  private constructor(channels: readonly FakeChannel[]) {
    this.state = new FakeSlackState(channels, () => `ws://127.0.0.1:${this.port}/socket`);
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        if (status === 0) return void req.socket.destroy();
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    this.server.on('upgrade', (req, socket) => {
      const ws = acceptWebSocket(req, socket, (message) => this.socketMessages.push(message));
      this.sockets.push(ws);
      ws.send({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0RATEWATCH' } });
    });
  }

  /** Starts a fake on a free loopback port. */
  static async start(channels: readonly FakeChannel[] = DEFAULT_CHANNELS): Promise<FakeSlack> {
    const fake = new FakeSlack(channels);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** SLACK_API_URL for the app. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url whose posts are recorded under `id`. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ method, failure });
  }

  /** Calls of one method, oldest first. */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages in a channel (thread replies included), oldest first. */
  messagesIn(channel: string): FakeMessage[] {
    return this.state.messages.filter((m) => m.channel === channel);
  }

  /** Thread replies to a message. */
  repliesTo(ts: string): FakeMessage[] {
    return this.state.messages.filter((m) => m.threadTs === ts);
  }

  responsesTo(id: string): Record<string, unknown>[] {
    return this.responses.filter((r) => r.id === id).map((r) => r.body);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage) {
    const text = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/respond/')) {
      this.responses.push({ id: path.slice('/respond/'.length), body: JSON.parse(text || '{}') });
      return { status: 200, body: { ok: true } };
    }
    const method = path.replace(/^\/api\//, '');
    const args = Object.fromEntries(new URLSearchParams(text));
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? args.token;
    this.calls.push({ method, args, token, at: Date.now() });
    return this.answer(method, args);
  }

  private answer(method: string, args: Record<string, string>) {
    const at = this.failures.findIndex((f) => f.method === method);
    const failure = at >= 0 ? this.failures.splice(at, 1)[0]?.failure : undefined;
    if (!failure) return { status: 200, body: this.state.answer(method, args) };
    if ('takeThenDrop' in failure) {
      this.state.answer(method, args);
      return { status: 0, body: {} };
    }
    if ('error' in failure) return { status: 200, body: { ok: false, error: failure.error } };
    if (failure.status === 429) {
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(failure.retryAfterSeconds) },
      };
    }
    return { status: 500, body: { ok: false, error: 'internal_error' } };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
