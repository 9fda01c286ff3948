import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export type RedisPurpose = 'store' | 'bull-client' | 'bull-subscriber' | 'bull-bclient' | 'aux';

/**
 * The one place Redis connections are made (store, Bull, sessions later). Every connection
 * retries forever with capped backoff, so a Redis restart heals without a process restart.
 */
@Injectable()
export class RedisFactory implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisFactory.name);
  private readonly clients = new Set<Redis>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  create(purpose: RedisPurpose, extra: RedisOptions = {}): Redis {
    const options: RedisOptions = {
      connectionName: `caseboard:${purpose}`,
      retryStrategy: (times) => Math.min(times * 200, 5000),
      // Bull's blocking and subscriber connections must not fail queued commands.
      ...(purpose === 'bull-subscriber' || purpose === 'bull-bclient'
        ? { maxRetriesPerRequest: null, enableReadyCheck: false }
        : {}),
      ...extra,
    };
    const client = new Redis(this.config.redis.url, options);
    let lastError = '';
    client.on('error', (error: Error) => {
      // ioredis emits an error per reconnect attempt; log each distinct cause once.
      if (error.message !== lastError) this.logger.warn(`Redis (${purpose}): ${error.message}`);
      lastError = error.message;
    });
    client.on('ready', () => (lastError = ''));
    // Kept until shutdown even after 'end': Bull reconnects its blocking client after a local
    // pause, and a client dropped from this set would then outlive the process's shutdown.
    this.clients.add(client);
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.clients].map(async (client) => {
        if (client.status === 'end') return;
        try {
          await client.quit();
        } catch {
          client.disconnect();
        }
      }),
    );
  }
}
