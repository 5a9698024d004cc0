/** A message the fake Slack holds, as chat.postMessage / chat.update left it. */
export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  readonly metadata: { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
  /** Files shared with the message (files.completeUploadExternal posts one such message per share). */
  readonly files?: readonly { id: string; name: string; title: string }[];
  /** Every chat.update applied, oldest first. */
  readonly edits: { text: string; blocks: unknown[] | undefined }[];
}

/**
 * A file as files.getUploadURLExternal / the upload POST / files.completeUploadExternal left it: `bytes` once
 * uploaded, `shared` once completed into a channel (and thread).
 */
export interface FakeFile {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  readonly altText: string | undefined;
  bytes: Buffer | undefined;
  title: string | undefined;
  shared: { channel: string; threadTs: string | undefined; initialComment: string | undefined } | undefined;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
}

type Args = Record<string, string>;
type Answer = Record<string, unknown>;

/** What the fake Web API knows: channels, posted messages, user groups. Methods answer like Slack's. */
export class FakeSlackState {
  readonly messages: FakeMessage[] = [];
  readonly groups = new Map<string, string[]>();
  /** Modals opened with views.open, oldest first. */
  readonly views: { readonly triggerId: string; readonly view: Record<string, unknown> }[] = [];
  /** Files by id, in the order their upload URLs were asked for. */
  readonly files = new Map<string, FakeFile>();
  private counter = 0;

  constructor(
    readonly channels: readonly FakeChannel[],
    private readonly socketUrl: () => string,
    private readonly uploadUrl: (fileId: string) => string,
  ) {}

  /** Answers one Web API method. */
  answer(method: string, args: Args): Answer {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0TEAM', team: 'Acme' };
      case 'chat.postMessage':
        return this.post(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.delete':
        return this.remove(args);
      case 'conversations.history':
        return this.history(args, (m) => m.threadTs === undefined);
      case 'conversations.replies':
        return this.history(args, (m) => m.ts === args.ts || m.threadTs === args.ts);
      case 'conversations.list':
        return { ok: true, channels: this.channels.map((c) => ({ ...c, is_channel: true })) };
      case 'usergroups.users.list':
        return this.groups.has(args.usergroup ?? '')
          ? { ok: true, users: this.groups.get(args.usergroup ?? '') }
          : { ok: false, error: 'no_such_subteam' };
      case 'views.open':
        return this.openView(args);
      case 'files.getUploadURLExternal':
        return this.uploadUrlFor(args);
      case 'files.completeUploadExternal':
        return this.completeUploads(args);
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl() };
      default:
        return { ok: true };
    }
  }

  /** Records a post (used also to simulate "Slack took it, but the answer was lost"). */
  post(args: Args): Answer {
    const channel = this.channelId(args.channel ?? '');
    if (!channel) return { ok: false, error: 'channel_not_found' };
    this.counter += 1;
    // Like Slack's: epoch seconds now, and a unique, increasing fraction.
    const ts = `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, '0')}`;
    const message: FakeMessage = {
      channel,
      ts,
      threadTs: args.thread_ts || undefined,
      text: args.text ?? '',
      blocks: args.blocks ? JSON.parse(args.blocks) : undefined,
      metadata: args.metadata ? JSON.parse(args.metadata) : undefined,
      edits: [],
    };
    this.messages.push(message);
    return { ok: true, channel, ts, message: { text: message.text, ts } };
  }

  /** The upload POST to an upload URL: false when no such file is waiting for its bytes. */
  receiveUpload(fileId: string, bytes: Buffer): boolean {
    const file = this.files.get(fileId);
    if (!file || file.shared) return false;
    file.bytes = bytes;
    return true;
  }

  private uploadUrlFor(args: Args): Answer {
    const length = Number(args.length);
    if (!args.filename || !Number.isInteger(length) || length <= 0)
      return { ok: false, error: 'invalid_arguments' };
    const id = `F${String(this.files.size + 1).padStart(10, '0')}`;
    this.files.set(id, {
      id,
      filename: args.filename,
      length,
      altText: args.alt_text,
      bytes: undefined,
      title: undefined,
      shared: undefined,
    });
    return { ok: true, upload_url: this.uploadUrl(id), file_id: id };
  }

  /** Like Slack's: every file must have its bytes; shared into the channel (and thread) as one message. */
  private completeUploads(args: Args): Answer {
    const wanted = JSON.parse(args.files ?? '[]') as { id: string; title?: string }[];
    const files = wanted.map((f) => this.files.get(f.id));
    if (files.length === 0 || files.some((f) => !f?.bytes)) return { ok: false, error: 'file_not_found' };
    const done = files as FakeFile[];
    if (args.channel_id) {
      const channel = this.channelId(args.channel_id);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const threadTs = args.thread_ts || undefined;
      for (const [i, file] of done.entries()) {
        file.title = wanted[i]?.title ?? file.filename;
        file.shared = { channel, threadTs, initialComment: args.initial_comment };
      }
      this.counter += 1;
      this.messages.push({
        channel,
        ts: `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, '0')}`,
        threadTs,
        text: args.initial_comment ?? '',
        blocks: undefined,
        metadata: undefined,
        files: done.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename })),
        edits: [],
      });
    }
    return { ok: true, files: done.map((f) => ({ id: f.id, title: f.title ?? f.filename })) };
  }

  /** Like Slack's: a trigger_id is needed, and the view comes back with an id. */
  private openView(args: Args): Answer {
    if (!args.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
    const view = JSON.parse(args.view ?? '{}') as Record<string, unknown>;
    this.views.push({ triggerId: args.trigger_id, view });
    return { ok: true, view: { ...view, id: `V${String(this.views.length).padStart(8, '0')}` } };
  }

  private update(args: Args): Answer {
    const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    message.text = args.text ?? message.text;
    message.blocks = args.blocks ? JSON.parse(args.blocks) : message.blocks;
    message.edits.push({ text: message.text, blocks: message.blocks });
    return { ok: true, channel: message.channel, ts: message.ts };
  }

  private remove(args: Args): Answer {
    const at = this.messages.findIndex((m) => m.channel === args.channel && m.ts === args.ts);
    if (at < 0) return { ok: false, error: 'message_not_found' };
    this.messages.splice(at, 1);
    return { ok: true };
  }

  private history(args: Args, keep: (m: FakeMessage) => boolean): Answer {
    const oldest = Number(args.oldest ?? 0);
    const withMetadata = args.include_all_metadata === 'true';
    const messages = this.messages
      .filter((m) => m.channel === args.channel && keep(m) && Number(m.ts) >= oldest)
      .reverse()
      .map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        ...(withMetadata ? { metadata: m.metadata } : {}),
        ...(m.files ? { files: m.files } : {}),
      }));
    return { ok: true, messages, has_more: false };
  }

  private channelId(channel: string): string | undefined {
    const byName = this.channels.find((c) => c.name === channel.replace(/^#/, ''));
    return byName?.id ?? this.channels.find((c) => c.id === channel)?.id;
  }
}
