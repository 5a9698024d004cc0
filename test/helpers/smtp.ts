import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An email the test SMTP server accepted: its envelope recipients and the parsed message. */
export interface ReceivedEmail {
  readonly to: readonly string[];
  readonly mail: ParsedMail;
}

/** An SMTP answer to give instead of accepting: e.g. `{ code: 451, message: 'try later' }`. */
export interface SmtpRefusal {
  readonly code: number;
  readonly message: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>` */
  readonly url: string;
  readonly received: ReceivedEmail[];
  /** Answers RCPT TO for matching recipients with a refusal until cleared (undefined accepts). */
  refuse(rule: ((recipient: string) => SmtpRefusal | undefined) | undefined): void;
  /** Emails received so far for one recipient. */
  to(recipient: string): ReceivedEmail[];
  /** Polls until `count` emails arrived for the recipient (or any, when undefined); no timing assertion. */
  waitFor(count: number, recipient?: string, timeoutMs?: number): Promise<ReceivedEmail[]>;
  close(): Promise<void>;
}

/** A real SMTP server on loopback (no auth required, no STARTTLS) that parses what it receives. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = [];
  let rule: ((recipient: string) => SmtpRefusal | undefined) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = rule?.(address.address);
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      return callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ to: (session.envelope.rcptTo ?? []).map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const to = (recipient: string) => received.filter((r) => r.to.includes(recipient));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse: (next) => {
      rule = next;
    },
    to,
    async waitFor(count, recipient, timeoutMs = 20_000) {
      const started = Date.now();
      for (;;) {
        const got = recipient ? to(recipient) : received;
        if (got.length >= count) return got;
        if (Date.now() - started > timeoutMs)
          throw new Error(
            `expected ${count} email(s)${recipient ? ` to ${recipient}` : ''}, got ${got.length}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls `check` until it returns something other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
