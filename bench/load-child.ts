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
    const child = spawn(process.execPath, [__filename, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as LoadResult)
        : reject(new Error(`load process exited with ${code}`)),
    );
  });
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  void load({
    ...requestsOf(spec.path),
    connections: spec.connections,
    seconds: spec.seconds,
  }).then((result) => process.stdout.write(JSON.stringify(result)));
}
