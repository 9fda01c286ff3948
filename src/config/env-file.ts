import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';

/** An optional .env in the working directory; real environment variables win over it. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) loadDotenv({ path, override: false, quiet: true });
}
