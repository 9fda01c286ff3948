import { Injectable, type ExecutionContext } from '@nestjs/common';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { AuthedRequest } from '../auth/request-context.js';
import { RememberedMetadata } from '../common/remembered-metadata.js';

/** Limits are per user or API token (the access guard ran first), else per address. */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
  ) {
    // The stock guard reads six route metadata entries per request; they never change.
    super(options, storage, new RememberedMetadata());
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const user = (req as unknown as AuthedRequest).caseboardUser;
    return Promise.resolve(user?.id ?? String(req.ip));
  }

  /** The stock key is a SHA-256 of the same text, computed on every request for no gain here. */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    return `${context.getClass().name}-${context.getHandler().name}-${name}-${tracker}`;
  }
}
