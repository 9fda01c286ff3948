import { redactor } from './redact.js';

describe('redactor', () => {
  it('should remove whole secret URLs, SMTP passwords and webhook paths', () => {
    const redact = redactor([
      'smtp://bot:s3cr%40t@mail.example.test:587',
      'https://hooks.slack.test/services/T000/B000/XXXXSECRET',
      undefined,
    ]);
    expect(redact('connect smtp://bot:s3cr%40t@mail.example.test:587 failed')).toBe(
      'connect [redacted] failed',
    );
    expect(redact('Invalid login for bot with s3cr@t')).toBe(
      'Invalid login for bot with [redacted]',
    );
    expect(redact('POST /services/T000/B000/XXXXSECRET → 500')).toBe('POST [redacted] → 500');
    expect(redact('Slack webhook answered 500')).toBe('Slack webhook answered 500');
  });
});
