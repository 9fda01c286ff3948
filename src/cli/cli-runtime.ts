import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type LoggerService,
  type Type,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config.error.js';
import { ConfigModule } from '../config/config.module.js';
import { loadEnvFile } from '../config/env-file.js';
import { loadConfig } from '../config/load-config.js';
import type { ConfigScope } from '../config/roles.js';
import { StoreModule } from '../store/store.module.js';
import { UsageError } from './cli-args.js';

@Module({})
class CliModule {
  static with(config: AppConfig, imports: Type[], store: boolean): DynamicModule {
    const base = store
      ? [ConfigModule.forRoot(config), StoreModule]
      : [ConfigModule.forRoot(config)];
    return { module: CliModule, imports: [...base, ...imports] };
  }
}

/** Logs go to stderr so stdout stays clean for what the command prints (exports, summaries). */
class StderrLogger implements LoggerService {
  constructor(private readonly chatty: boolean) {}
  log(message: unknown, context?: string): void {
    if (this.chatty) this.write('info', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write(
      'error',
      message,
      typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined,
    );
  }
  debug(): void {}
  verbose(): void {}
  private write(level: string, message: unknown, context?: string): void {
    process.stderr.write(`${level}${context ? ` [${context}]` : ''}: ${String(message)}\n`);
  }
}

/**
 * Runs a bin command. Exit codes: 0 done, 1 the work failed or the configuration is bad,
 * 2 bad command line. `--help` is answered before any configuration is read.
 */
export async function runCli<T>(options: {
  parse: () => T | 'help';
  help: string;
  scopes: ConfigScope[];
  imports: Type[];
  /** Whether the command uses Redis (default true); one that does not never connects. */
  store?: boolean;
  main: (app: INestApplicationContext, config: AppConfig, args: T) => Promise<number>;
}): Promise<never> {
  let app: INestApplicationContext | undefined;
  let code = 1;
  try {
    const args = options.parse();
    if (args === 'help') {
      process.stdout.write(options.help);
      process.exit(0);
    }
    loadEnvFile();
    const config = loadConfig(process.env, options.scopes);
    const chatty = ['info', 'debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
    app = await NestFactory.createApplicationContext(
      CliModule.with(config, options.imports, options.store ?? true),
      {
        logger: new StderrLogger(chatty),
        abortOnError: false,
      },
    );
    code = await options.main(app, config, args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message} (see --help)\n`);
      code = 2;
    } else if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  } finally {
    await app?.close().catch(() => undefined);
  }
  // Exiting with output still queued for a pipe would cut it off.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
