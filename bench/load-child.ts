import { spawn } from 'node:child_process';
import { load, type LoadResult } from './load.js';
import { requestsOf, type WebPath } from './web-paths.js';

interface LoadSpec {
  path: WebPath;
  connections: number;
  seconds: number;
}

/**
 * Runs one load in a fresh Node process that holds nothing but the load generator. Run in the
 * orchestrating process (which has started Redis, the simulators, the IdP and a sync), the
 * same loads on the same server measured the DataTables answers at 8,100–8,800 req/s, and
 * from a process of their own at 10,000–11,900, while /health/live stayed at 16,600–19,000 in
 * both. The cause was not pinned down; a load generator must not depend on it.
 */
export function loadApart(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The spec (with its token) goes by the environment, not the command line that ps shows.
    const child = spawn(process.execPath, [__filename], {
      env: { ...process.env, BENCH_LOAD_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), (spec.seconds + 30) * 1000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`load process ended with ${signal ?? `exit code ${code}`}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (error) {
        reject(new Error(`load process wrote no result: ${(error as Error).message}`));
      }
    });
  });
}

if (require.main === module) {
  const spec = JSON.parse(process.env.BENCH_LOAD_SPEC ?? '') as LoadSpec;
  void load({
    ...requestsOf(spec.path),
    connections: spec.connections,
    seconds: spec.seconds,
  }).then((result) => process.stdout.write(JSON.stringify(result)));
}
