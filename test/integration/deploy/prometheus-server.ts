import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { waitFor } from '../../support/processes.js';
import { freePort, settleWithin } from './deploy-stack.js';

export const SHIPPED_CONFIG = 'deploy/prometheus/prometheus.yml';

interface ScrapeConfig {
  job_name: string;
  authorization?: { type?: string; credentials_file?: string };
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
  static_configs?: { targets: string[] }[];
  [key: string]: unknown;
}

interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs: ScrapeConfig[];
}

/**
 * The shipped scrape config with each compose DNS name replaced by a static loopback target
 * (same jobs, same bearer mechanism: credentials_file, pointed at `tokenFile`), a 1 s interval,
 * and the shipped rule files by absolute path. Throws on anything it does not know how to map,
 * so the shipped file stays the source of truth.
 */
export function loopbackConfig(
  portOfService: Record<string, number>,
  selfAddress: string,
  tokenFile: string,
): { config: PrometheusConfig; shippedTokenFile: string } {
  const config = parse(readFileSync(SHIPPED_CONFIG, 'utf8')) as PrometheusConfig;
  let shippedTokenFile = '';
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = (config.rule_files ?? []).map((f) => resolve('deploy/prometheus', f));
  for (const job of config.scrape_configs) {
    if (job.job_name === 'prometheus') {
      job.static_configs = [{ targets: [selfAddress] }];
      continue;
    }
    const file = job.authorization?.credentials_file;
    if (!file) throw new Error(`job ${job.job_name} sends no credentials_file`);
    shippedTokenFile ||= file;
    if (file !== shippedTokenFile) throw new Error(`job ${job.job_name} reads another token file`);
    job.authorization = { ...job.authorization, credentials_file: tokenFile };
    const sd = job.dns_sd_configs ?? [];
    if (sd.length !== 1 || sd[0].type !== 'A' || sd[0].names.length !== 1)
      throw new Error(`job ${job.job_name}: expected one dns_sd_configs entry of type A`);
    const port = portOfService[sd[0].names[0]];
    if (port === undefined)
      throw new Error(`job ${job.job_name}: no process for ${sd[0].names[0]}`);
    delete job.dns_sd_configs;
    job.static_configs = [{ targets: [`127.0.0.1:${port}`] }];
  }
  return { config, shippedTokenFile };
}

export interface RunningPrometheus {
  url: string;
  /** GET /api/v1/<path>; throws unless Prometheus answers status success. */
  api<T>(path: string, params?: Record<string, string>): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

/** Debian's `prometheus` on loopback with the given config and a throwaway TSDB. */
export async function startPrometheus(
  build: (selfAddress: string, dir: string) => PrometheusConfig,
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'caseboard-prometheus-'));
  const address = `127.0.0.1:${await freePort()}`;
  writeFileSync(join(dir, 'prometheus.yml'), stringify(build(address, dir)));
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=${address}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://${address}`;
  const running: RunningPrometheus = {
    url,
    output: () => out,
    api: async <T>(path: string, params: Record<string, string> = {}) => {
      const response = await fetch(
        `${url}/api/v1/${path}?${new URLSearchParams(params).toString()}`,
      );
      const body = (await response.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success')
        throw new Error(`${path} ${JSON.stringify(params)}: ${body.error}`);
      return body.data;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await settleWithin(exited, 10_000);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitFor(
    'prometheus to be ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited:\n${out}`);
      const response = await fetch(`${url}/-/ready`).catch(() => null);
      return response?.ok;
    },
    30_000,
  );
  return running;
}
