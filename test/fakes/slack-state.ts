/** A message the fake Slack holds, as chat.postMessage / chat.update left it. */
export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  readonly metadata: { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
  /** Every chat.update applied, oldest first. */
  readonly edits: { text: string; blocks: unknown[] | undefined }[];
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
  private counter = 0;

  constructor(
    readonly channels: readonly FakeChannel[],
    private readonly socketUrl: () => string,
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
      }));
    return { ok: true, messages, has_more: false };
  }

  private channelId(channel: string): string | undefined {
    const byName = this.channels.find((c) => c.name === channel.replace(/^#/, ''));
    return byName?.id ?? this.channels.find((c) => c.id === channel)?.id;
  }
}
