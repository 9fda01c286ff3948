import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { RedisServerHandle } from './redis-server.js';

// Jest loads this file outside its module mapper, so the sibling is required without extension.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedisServer } = require('./redis-server') as typeof import('./redis-server.js');

declare global {
  var __CASEBOARD_REDIS__: RedisServerHandle | undefined;
}

/** One Redis for the integration run; each spec isolates itself with its own key prefix. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/main.js') || !existsSync('dist/simulators/cli.js')) {
    // Specs spawn the built processes (workers, bin scripts); build once if nobody did.
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  }
  if (process.env.TEST_REDIS_URL) return;
  const redis = await startRedisServer();
  globalThis.__CASEBOARD_REDIS__ = redis;
  process.env.TEST_REDIS_URL = redis.url;
}
