import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { Logger } from 'nestjs-pino';
import { ConfigError } from './config/config.error.js';
import { loadEnvFile } from './config/env-file.js';
import { loadConfig } from './config/load-config.js';
import type { Drain } from './ops/lifecycle/drain.js';
import { installGracefulShutdown } from './ops/lifecycle/graceful-shutdown.js';
import { HttpDrain } from './ops/lifecycle/http-drain.js';
import { ShutdownState } from './ops/lifecycle/shutdown-state.js';
import { SyncDrain } from './sync/sync.drain.js';
import { setupApiDocs } from './api/api-docs.js';
import { CaseboardExpressAdapter } from './web/express-adapter.js';
import { configureHttp } from './web/http-setup.js';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  // `node dist/main.js worker,scheduler` is the same as CASEBOARD_ROLES=worker,scheduler.
  const rolesArg = process.argv[2];
  if (rolesArg && !rolesArg.startsWith('-')) process.env.CASEBOARD_ROLES = rolesArg;
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const module = AppModule.forRoles(config);
  if (config.roles.includes('web')) {
    const app = await NestFactory.create<NestExpressApplication>(
      module,
      new CaseboardExpressAdapter(),
      {
        bufferLogs: true,
        bodyParser: false,
      },
    );
    const logger = app.get(Logger);
    app.useLogger(logger);
    configureHttp(app, config);
    setupApiDocs(app);
    const drains: Drain[] = [new HttpDrain(app.getHttpServer())];
    if (config.roles.includes('worker')) drains.push(app.get(SyncDrain));
    installGracefulShutdown({
      app,
      state: app.get(ShutdownState),
      drains,
      timeoutMs: config.shutdownTimeoutMs,
      logger,
    });
    await app.listen(config.http.port, config.http.host);
    logger.log(
      `web listening on http://${config.http.host}:${config.http.port} (roles: ${config.roles.join(', ')})`,
    );
  } else {
    const app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
    const logger = app.get(Logger);
    app.useLogger(logger);
    installGracefulShutdown({
      app,
      state: app.get(ShutdownState),
      drains: config.roles.includes('worker') ? [app.get(SyncDrain)] : [],
      timeoutMs: config.shutdownTimeoutMs,
      logger,
    });
    logger.log(`started (roles: ${config.roles.join(', ')})`);
  }
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `Caseboard failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
