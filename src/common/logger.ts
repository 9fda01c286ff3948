import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const FROM_ENV: Record<string, LogLevel | 'silent'> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'log',
  debug: 'debug',
  trace: 'verbose',
  silent: 'silent',
};

/** JSON lines when not on a terminal (containers, CI), readable text on one. */
export function createLogger(level: string, context = 'Caseboard'): ConsoleLogger {
  const max = FROM_ENV[level] ?? 'log';
  const levels = max === 'silent' ? [] : ORDER.slice(0, ORDER.indexOf(max) + 1);
  return new ConsoleLogger(context, {
    logLevels: levels,
    json: !process.stdout.isTTY,
    colors: process.stdout.isTTY,
  });
}
