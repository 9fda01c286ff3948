import { REDACTED } from '../common/log-redaction.js';

/**
 * Removes secrets (SMTP_URL with its password, the Slack webhook URL) from text that may be
 * logged or stored, e.g. a transport's error message that echoes the URL it failed on.
 */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    needles.add(secret);
    try {
      const url = new URL(secret);
      if (url.password) {
        needles.add(url.password);
        needles.add(decodeURIComponent(url.password));
      }
      // A webhook's path is the secret part of its URL.
      if (url.pathname.length > 8) needles.add(url.pathname);
    } catch {
      // not a URL: the whole string is the secret
    }
  }
  const sorted = [...needles].filter((n) => n.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((out, needle) => out.split(needle).join(REDACTED), text);
}
