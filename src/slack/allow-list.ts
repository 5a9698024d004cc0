import type { webApi } from '@slack/bolt';

/** Who may acknowledge, resolve and mute from Slack (RATEWATCH_CONFIG `slack:`); empty lists allow everyone. */
export interface AllowListSettings {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

export type AllowVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface AllowList {
  check(userId: string, client: webApi.WebClient): Promise<AllowVerdict>;
}

const GROUP_TTL_MS = 5 * 60_000;

/**
 * Checks a Slack user against the allow-list: listed users, or members of listed user groups (read with
 * usergroups.users.list and remembered for five minutes). A refusal says who may, so the person knows whom
 * to ask.
 */
export function createAllowList(settings: AllowListSettings, now: () => Date = () => new Date()): AllowList {
  const members = new Map<string, { users: Set<string>; at: number }>();
  const groupMembers = async (group: string, client: webApi.WebClient) => {
    const cached = members.get(group);
    if (cached && now().getTime() - cached.at < GROUP_TTL_MS) return cached.users;
    const result = await client.usergroups.users.list({ usergroup: group });
    const users = new Set(result.users ?? []);
    members.set(group, { users, at: now().getTime() });
    return users;
  };
  return {
    async check(userId, client) {
      if (settings.users.length === 0 && settings.groups.length === 0) return { ok: true };
      if (settings.users.includes(userId)) return { ok: true };
      for (const group of settings.groups) {
        try {
          if ((await groupMembers(group, client)).has(userId)) return { ok: true };
        } catch {
          return {
            ok: false,
            reason: `ratewatch could not read the members of <!subteam^${group}> just now; try again`,
          };
        }
      }
      return { ok: false, reason: `only ${whoMay(settings)} may acknowledge, resolve or mute alerts here` };
    },
  };
}

function whoMay(settings: AllowListSettings): string {
  const people = [
    ...settings.users.map((u) => `<@${u}>`),
    ...settings.groups.map((g) => `members of <!subteam^${g}>`),
  ];
  return people.join(', ');
}
