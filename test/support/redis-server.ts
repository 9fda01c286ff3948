import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real redis-server on loopback with its own data dir; tests never share the developer's. */
export interface RedisServerHandle {
  url: string;
  port: number;
  process: ChildProcess;
  dir: string;
  /** `keepData`: write the data to disk first and keep the directory, to start again on it. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** One inline command; resolves with the first reply line. */
function sendCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`redis ${command}: no reply`));
    });
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
  });
}

export async function startRedisServer(port?: number, dir?: string): Promise<RedisServerHandle> {
  const chosen = port ?? (await freePort());
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'caseboard-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(chosen),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dataDir,
    ],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (e) =>
      reject(
        new Error(
          `cannot start redis-server (is it installed? scripts/test.sh installs it): ${e.message}`,
        ),
      ),
    ),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await Promise.race([answersPing(chosen), failed])) break;
    if (Date.now() > deadline) throw new Error('redis-server did not answer within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    process: child,
    dir: dataDir,
    stop: async (options = {}) => {
      if (child.exitCode === null) {
        if (options.keepData) await sendCommand(chosen, 'SAVE');
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!dir && !options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
