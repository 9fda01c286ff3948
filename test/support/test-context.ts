import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import {
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../src/config/app-config.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ConfigScope } from '../../src/config/roles.js';
import { CaseStore } from '../../src/store/case.store.js';
import { StoreModule } from '../../src/store/store.module.js';

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url)
    throw new Error('TEST_REDIS_URL is not set: run integration specs through jest (global setup)');
  return url;
}

/** A fresh key prefix per spec keeps parallel spec files apart in one Redis. */
export function uniquePrefix(name: string): string {
  return `t-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${randomBytes(3).toString('hex')}:`;
}

/** Env for a Caseboard process under test: fast retries, short timeouts, our Redis and prefix. */
export function testEnv(
  prefix: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string | undefined> = {
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    UPSTREAM_RETRIES: '3',
    UPSTREAM_RETRY_BASE_MS: '20',
    UPSTREAM_RETRY_MAX_MS: '1500',
    UPSTREAM_TIMEOUT_MS: '3000',
    UPSTREAM_BREAKER_THRESHOLD: '50',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

@Module({})
class TestModule {
  static with(config: AppConfig, imports: Type[]): DynamicModule {
    return { module: TestModule, imports: [ConfigModule.forRoot(config), StoreModule, ...imports] };
  }
}

export interface TestContext {
  app: INestApplicationContext;
  config: AppConfig;
  store: CaseStore;
  close(): Promise<void>;
}

export async function createTestContext(
  env: Record<string, string>,
  imports: Type[],
  scopes: ConfigScope[] = ['cli'],
): Promise<TestContext> {
  const config = loadConfig(env, scopes);
  const app = await NestFactory.createApplicationContext(TestModule.with(config, imports), {
    logger: ['error'],
  });
  await app.init();
  return { app, config, store: app.get(CaseStore), close: () => app.close() };
}

/** Everything under a prefix, with values, in a canonical form: "byte-identical" checks compare this. */
export async function dumpPrefix(
  prefix: string,
  options: { exclude?: RegExp } = {},
): Promise<Record<string, unknown>> {
  const redis = new Redis(testRedisUrl());
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000');
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const dump: Record<string, unknown> = {};
    for (const key of keys.sort()) {
      if (options.exclude?.test(key)) continue;
      const type = await redis.type(key);
      if (type === 'string') dump[key] = await redis.get(key);
      else if (type === 'hash') dump[key] = await redis.hgetall(key);
      else if (type === 'set') dump[key] = (await redis.smembers(key)).sort();
      else if (type === 'zset') dump[key] = await redis.zrange(key, '0', '-1', 'WITHSCORES');
      else if (type === 'list') dump[key] = await redis.lrange(key, 0, -1);
    }
    return dump;
  } finally {
    redis.disconnect();
  }
}

export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl());
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000');
      if (batch.length > 0) await redis.del(...batch);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
