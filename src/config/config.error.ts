export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Raised at boot; the message names every bad variable so an operator can fix them in one go. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      'Invalid configuration:\n' + issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
