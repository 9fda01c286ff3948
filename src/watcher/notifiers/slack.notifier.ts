import axios, { isAxiosError } from 'axios';
import type { WatchConfig } from '../../config/app-config.js';
import { digestSlack } from '../watch-digest.js';
import { destinationsFor } from '../watch-routing.js';
import type { Finding } from '../watch-rules.js';
import { groupByTarget, type Delivery, type Notifier } from './notifier.port.js';

type SlackConfig = NonNullable<WatchConfig['slack']>;

/** Raised with the webhook's answer and never its URL (the URL is the secret). */
export class SlackDeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SlackDeliveryError';
  }
}

/**
 * One message per channel per run through the incoming webhook. A finding whose rule and
 * severity match no SLACK_CHANNELS key goes to the webhook's own channel (target `slack:`).
 */
export class SlackNotifier implements Notifier {
  readonly channel = 'slack';

  constructor(private readonly config: SlackConfig) {}

  route(findings: Finding[]): Delivery[] {
    return groupByTarget(findings, 'slack', (f) => {
      const channels = destinationsFor(this.config.channels, f.rule, f.severity);
      return channels.length > 0 ? channels : [''];
    });
  }

  preview(delivery: Delivery): string {
    const channel = delivery.target.slice('slack:'.length) || "(the webhook's channel)";
    return `Slack ${channel}:\n${digestSlack(delivery.findings)}\n`;
  }

  async send(delivery: Delivery): Promise<void> {
    const channel = delivery.target.slice('slack:'.length);
    const body = { text: digestSlack(delivery.findings), ...(channel ? { channel } : {}) };
    try {
      await axios.post(this.config.webhookUrl, body, {
        timeout: 10_000,
        headers: { 'content-type': 'application/json' },
        maxRedirects: 0,
      });
    } catch (error) {
      if (isAxiosError(error)) {
        const status = error.response?.status;
        const answer =
          typeof error.response?.data === 'string' ? `: ${error.response.data.slice(0, 200)}` : '';
        throw new SlackDeliveryError(
          status
            ? `Slack webhook answered ${status}${answer}`
            : `Slack webhook unreachable (${error.code ?? 'network error'})`,
          status,
        );
      }
      throw error;
    }
  }

  /** 4xx other than 429 (bad channel, revoked webhook) will not heal by retrying now. */
  isTransient(error: unknown): boolean {
    const status = error instanceof SlackDeliveryError ? error.status : undefined;
    return status === undefined || status >= 500 || status === 429;
  }
}
