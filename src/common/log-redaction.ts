/** Where secrets can appear in a log record; pino replaces them with REDACTED. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.apiToken',
  '*.api_key',
  '*.SAMLResponse',
  '*.SAMLRequest',
  '*.sessionSecret',
];

export const REDACTED = '[redacted]';

/** Query parameters that carry credentials or SAML payloads (login/logout redirects, Bugzilla). */
const SECRET_PARAMS =
  /^(saml(request|response)|signature|sigalg|relaystate|api_key|token|access_token|password)$/i;

/** The URL with the values of secret query parameters replaced, for logs. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const params = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
      return eq !== -1 && SECRET_PARAMS.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
  return `${url.slice(0, at)}?${params.join('&')}`;
}
