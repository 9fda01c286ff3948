import { Injectable } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { withDeadline } from '../../common/deadline.js';
import { CaseStore } from '../../store/case.store.js';
import { QueueRegistry } from '../../sync/queue.registry.js';

const CHECK_TIMEOUT_MS = 1500;

/**
 * Ready = Redis answers and every queue's connection answers. Nothing is cached: when Redis
 * comes back, the next probe is ready again without a restart (the clients reconnect by themselves).
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly store: CaseStore,
    private readonly queues: QueueRegistry,
  ) {}

  async check(): Promise<{ ready: boolean; result: HealthCheckResult }> {
    try {
      const result = await this.health.check([
        () => this.redis(),
        ...this.queues.all().map((queue) => () => this.queue(queue.name, queue.client.ping())),
      ]);
      return { ready: true, result };
    } catch (error) {
      const result = (error as { getResponse?: () => unknown }).getResponse?.();
      if (result && typeof result === 'object' && 'status' in result)
        return { ready: false, result: result as HealthCheckResult };
      throw error;
    }
  }

  private async redis() {
    const session = this.indicators.check('redis');
    try {
      await this.store.ping(CHECK_TIMEOUT_MS);
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }

  private async queue(name: string, ping: Promise<unknown>) {
    const session = this.indicators.check(`queue:${name}`);
    try {
      await withDeadline(ping, CHECK_TIMEOUT_MS, `queue ${name}: Redis did not answer`);
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
