import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** The version in package.json (two levels up from src/common and dist/common alike). */
export function appVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
        version?: unknown;
      };
      cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
