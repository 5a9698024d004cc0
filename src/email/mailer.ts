import { createTransport } from 'nodemailer';

/** One email to one recipient. `messageId` is deterministic per send, so a resend in the crash window is recognisable. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<…@…>`: the Message-ID header. */
  readonly messageId: string;
  /** Message-IDs this one belongs with (an alert's emails thread together in mail clients). */
  readonly references?: readonly string[];
  /** Images the HTML shows inline by Content-ID (`cid:`), sent as parts of the message. */
  readonly attachments?: readonly { filename: string; content: Buffer; cid: string; contentType: string }[];
}

/** Sends email. Throws what the SMTP server said; nothing here retries (the queue job does). */
export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/**
 * nodemailer over a pooled SMTP connection from `smtpUrl` (`smtp://user:pass@host:587`, `smtps://…`).
 * Timeouts are short so that a hung server fails the job (which retries) instead of holding a worker slot.
 */
export function createSmtpMailer(settings: { smtpUrl: string; from: string }): Mailer {
  const transport = createTransport({
    url: settings.smtpUrl,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from: settings.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        references: email.references ? [...email.references] : undefined,
        attachments: email.attachments?.map((a) => ({ ...a, contentDisposition: 'inline' as const })),
      });
    },
    close: () => transport.close(),
  };
}

/**
 * Whether retrying cannot help: the server answered 5xx (unknown mailbox, message refused, authentication
 * failed). 4xx answers, timeouts and connection errors are temporary and worth retrying.
 */
export function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** What the server said, for the record: `550 5.1.1 no such user (RCPT TO)`. */
export function smtpErrorText(error: unknown): string {
  const e = error as { response?: unknown; command?: unknown; message?: unknown };
  const said = typeof e.response === 'string' ? e.response : String(e.message ?? error);
  return typeof e.command === 'string' ? `${said} (${e.command})` : said;
}
