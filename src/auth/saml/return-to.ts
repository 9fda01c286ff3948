/** Only a local path may be a post-login destination (no scheme, host or protocol-relative //). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if ([...value].some((ch) => ch.charCodeAt(0) < 0x20)) return '/';
  if (value.startsWith('/login') || value.startsWith('/logout')) return '/';
  return value;
}
