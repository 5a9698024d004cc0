import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait-for.js';

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
      // cid: links kept as sent (by default mailparser rewrites them into data: URLs).
      simpleParser(stream, { keepCidLinks: true })
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
    waitFor: (count, recipient, timeoutMs = 20_000) =>
      waitFor(
        () => {
          const got = recipient ? to(recipient) : received;
          return got.length >= count && got;
        },
        `${count} email(s)${recipient ? ` to ${recipient}` : ''}`,
        timeoutMs,
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
