import type { Config } from '../config.js';
import type { RatewatchFile } from '../config-file.js';
import type { Severity } from '../detection/types.js';
import type { Routing } from './route-alert.js';

/** More alerts than this for one channel from one evaluation become a digest card, unless the file says otherwise. */
export const DEFAULT_DIGEST_THRESHOLD = 5;

/** Routing from the RATEWATCH_CONFIG `routing` section, with SLACK_DEFAULT_CHANNEL, EMAIL_TO and EMAIL_FALLBACK_TO. */
export function routingFromConfig(config: Config, file: RatewatchFile | undefined): Routing {
  const section = file?.routing;
  return {
    rules: (section?.rules ?? []).map((rule) => ({
      match: {
        source: rule.match.source,
        environment: rule.match.environment,
        api: rule.match.api,
        severity: rule.match.severity as Severity[] | undefined,
      },
      channel: rule.channel,
      email: rule.email,
      fallbackEmail: rule.fallback_email,
    })),
    defaultChannel: section?.default_channel ?? config.slack.defaultChannel,
    email: config.email.to,
    fallbackEmail: config.email.fallbackTo,
    digestThreshold: section?.digest_threshold ?? DEFAULT_DIGEST_THRESHOLD,
  };
}
