import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeChannel, type FakeFile, type FakeMessage, FakeSlackState } from './slack-state.js';
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

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
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
    this.state = new FakeSlackState(
      channels,
      () => `ws://127.0.0.1:${this.port}/socket`,
      (fileId) => `http://127.0.0.1:${this.port}/upload/${fileId}`,
    );
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

  /**
   * Files completed into a channel (and thread), in upload order: what people see. Every upload URL's POST
   * is recorded too, as the call `upload` (so `failNext('upload', …)` fails the byte transfer).
   */
  uploadsIn(channel: string): FakeFile[] {
    return [...this.state.files.values()].filter((f) => f.shared?.channel === channel);
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
    const raw = await readBody(req);
    const text = raw.toString('utf8');
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/upload/')) return this.upload(req, path.slice('/upload/'.length), raw);
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

  /** The upload URL's POST: multipart/form-data whose file part carries the bytes (as @slack/web-api sends it). */
  private async upload(req: IncomingMessage, fileId: string, raw: Buffer) {
    this.calls.push({ method: 'upload', args: { file_id: fileId }, token: undefined, at: Date.now() });
    const failed = this.failure('upload');
    if (failed) return failed;
    const type = req.headers['content-type'] ?? 'application/octet-stream';
    let bytes = raw;
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      if (!part || typeof part === 'string') return { status: 400, body: 'no file part' };
      bytes = Buffer.from(await part.arrayBuffer());
    }
    return this.state.receiveUpload(fileId, bytes)
      ? { status: 200, body: 'OK - 1' }
      : { status: 404, body: 'no' };
  }

  private answer(method: string, args: Record<string, string>) {
    const failed = this.failure(method, () => this.state.answer(method, args));
    return failed ?? { status: 200, body: this.state.answer(method, args) };
  }

  /** The scripted failure of the next call of `method`, as an answer (status 0: the connection is cut). */
  private failure(method: string, take?: () => unknown): Answer | undefined {
    const at = this.failures.findIndex((f) => f.method === method);
    const failure = at >= 0 ? this.failures.splice(at, 1)[0]?.failure : undefined;
    if (!failure) return undefined;
    if ('takeThenDrop' in failure) {
      take?.();
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
