import { metricsAccess } from './metrics-access.js';

describe(metricsAccess.name, () => {
  const token = 'a-metrics-token-0123456789';

  it('should be off when no token is configured, whatever is sent', () => {
    expect(metricsAccess(undefined, `Bearer ${token}`)).toBe('disabled');
    expect(metricsAccess('', undefined)).toBe('disabled');
  });

  it('should accept exactly the configured bearer token', () => {
    expect(metricsAccess(token, `Bearer ${token}`)).toBe('ok');
    expect(metricsAccess(token, `bearer ${token}`)).toBe('ok');
  });

  it('should refuse a missing, different, prefixed or basic credential', () => {
    expect(metricsAccess(token, undefined)).toBe('unauthorized');
    expect(metricsAccess(token, 'Bearer wrong')).toBe('unauthorized');
    expect(metricsAccess(token, `Bearer ${token}x`)).toBe('unauthorized');
    expect(metricsAccess(token, `Basic ${token}`)).toBe('unauthorized');
    expect(metricsAccess(token, `Bearer ${token} extra`)).toBe('unauthorized');
  });
});
