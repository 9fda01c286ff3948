import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { SOURCES, type Source } from '../src/cases/case.model.js';
import type { AppConfig } from '../src/config/app-config.js';
import { ConfigModule } from '../src/config/config.module.js';
import { loadConfig } from '../src/config/load-config.js';
import { StoreModule } from '../src/store/store.module.js';
import { SyncService } from '../src/sync/sync.service.js';
import { SyncRunnerModule } from '../src/sync/worker.module.js';
import { median, startRedis, startSimulatorProcess } from './bench-support.js';
import { rawListing } from './raw-client.js';

const COUNTS = { glpi: 100_000, jira: 20_000, bugzilla: 20_000 };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CHANGES = 100;

@Module({})
class BenchModule {
  static with(config: AppConfig): DynamicModule {
    return {
      module: BenchModule,
      imports: [ConfigModule.forRoot(config), StoreModule, SyncRunnerModule],
    };
  }
}

async function withSync<T>(
  env: Record<string, string>,
  prefix: string,
  body: (sync: SyncService) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ ...env, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn' }, ['cli']);
  const app = await NestFactory.createApplicationContext(BenchModule.with(config), {
    logger: ['error'],
  });
  try {
    return await body(app.get(SyncService));
  } finally {
    await app.close();
  }
}

async function timed<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await body();
  return { ms: performance.now() - started, value };
}

async function main(): Promise<void> {
  process.stderr.write(
    `starting Redis and simulators (${COUNTS.glpi} GLPI tickets, ${COUNTS.jira} JIRA issues, ${COUNTS.bugzilla} Bugzilla bugs)...\n`,
  );
  const redis = await startRedis();
  const sims = await startSimulatorProcess([
    '--glpi',
    String(COUNTS.glpi),
    '--jira',
    String(COUNTS.jira),
    '--bugzilla',
    String(COUNTS.bugzilla),
    '--host',
    '127.0.0.1',
  ]);
  const env: Record<string, string> = { ...sims.env, REDIS_URL: redis.url };
  const probe = loadConfig({ ...env }, ['cli']);
  const pageSizes: Record<Source, number> = {
    glpi: probe.sources.glpi!.pageSize,
    jira: probe.sources.jira!.pageSize,
    bugzilla: probe.sources.bugzilla!.pageSize,
  };
  const client = new Redis(redis.url);
  try {
    const raw: Record<Source, number[]> = { glpi: [], jira: [], bugzilla: [] };
    const full: Record<Source, number[]> = { glpi: [], jira: [], bugzilla: [] };
    const counts: Record<Source, number> = { glpi: 0, jira: 0, bugzilla: 0 };
    const incremental: Record<Source, number> = { glpi: 0, jira: 0, bugzilla: 0 };
    let bytesPerCase = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const prefix = `bench${round}:`;
      await client.flushall();
      const baseline = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
      for (const source of SOURCES) {
        const r = await timed(() => rawListing(source, env, pageSizes));
        raw[source].push(r.ms);
        const s = await withSync(env, prefix, (sync) => timed(() => sync.run(source, 'full')));
        full[source].push(s.ms);
        counts[source] = s.value.fetched;
        if (r.value !== s.value.fetched)
          throw new Error(
            `${source}: raw client saw ${r.value} records, the sync ${s.value.fetched}`,
          );
        process.stderr.write(
          `round ${round} ${source}: raw ${r.ms.toFixed(0)} ms, full sync ${s.ms.toFixed(0)} ms (${s.value.fetched} cases)\n`,
        );
      }
      const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
      bytesPerCase = (used - baseline) / (counts.glpi + counts.jira + counts.bugzilla);
      if (round === ROUNDS) {
        for (const source of SOURCES) {
          const root =
            source === 'glpi'
              ? env.GLPI_URL.replace(/\/apirest\.php$/, '')
              : source === 'jira'
                ? env.JIRA_URL
                : env.BUGZILLA_URL;
          // Mutate until 100 in-scope records changed (some simulator records are outside the sync's scope).
          const response = await fetch(`${root}/_sim/mutate`, {
            method: 'POST',
            body: JSON.stringify({ count: CHANGES }),
            headers: { 'Content-Type': 'application/json' },
          });
          if (!response.ok) throw new Error(`mutate ${source}: HTTP ${response.status}`);
          const s = await withSync(env, prefix, (sync) =>
            timed(() => sync.run(source, 'incremental')),
          );
          incremental[source] = s.ms;
          process.stderr.write(
            `${source}: incremental after ${CHANGES} changes ${s.ms.toFixed(0)} ms (fetched ${s.value.fetched}, updated ${s.value.updated})\n`,
          );
        }
      }
    }

    const rows: string[][] = [
      ['source', 'cases', 'raw cases/s', 'sync cases/s', 'sync/raw', 'incr/full'],
    ];
    let totalRaw = 0;
    let totalFull = 0;
    let totalIncr = 0;
    for (const source of SOURCES) {
      const r = median(raw[source]);
      const f = median(full[source]);
      totalRaw += r;
      totalFull += f;
      totalIncr += incremental[source];
      rows.push([
        source,
        String(counts[source]),
        (counts[source] / (r / 1000)).toFixed(0),
        (counts[source] / (f / 1000)).toFixed(0),
        (r / f).toFixed(2),
        `${((incremental[source] / f) * 100).toFixed(2)}%`,
      ]);
    }
    const all = counts.glpi + counts.jira + counts.bugzilla;
    rows.push([
      'all',
      String(all),
      (all / (totalRaw / 1000)).toFixed(0),
      (all / (totalFull / 1000)).toFixed(0),
      (totalRaw / totalFull).toFixed(2),
      `${((totalIncr / totalFull) * 100).toFixed(2)}%`,
    ]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    console.log(`\nbench/sync — medians of ${ROUNDS} rounds, raw client and sync side by side\n`);
    for (const row of rows)
      console.log(
        row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '),
      );
    console.log(
      `\nfull sync throughput vs raw serving rate: ${(totalRaw / totalFull).toFixed(2)}   (target ≥ 0.50)`,
    );
    console.log(
      `incremental after ${CHANGES} changes per source vs full: ${((totalIncr / totalFull) * 100).toFixed(2)}%   (target ≤ 5%)`,
    );
    console.log(
      `Redis memory per case: ${(bytesPerCase / 1024).toFixed(2)} KB   (target ≤ 2.5 KB)`,
    );
  } finally {
    client.disconnect();
    await sims.stop();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
