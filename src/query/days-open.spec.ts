import { aCase } from './case-fixture.js';
import { daysOpen } from './days-open.js';

const NOW = new Date('2025-06-18T12:00:00.000Z');

describe(daysOpen.name, () => {
  it('should count whole days to now while the case runs', () => {
    expect(daysOpen(aCase({ createdAt: '2025-06-01T00:00:00.000Z' }), NOW)).toBe(17);
    expect(daysOpen(aCase({ createdAt: '2025-06-17T12:00:01.000Z' }), NOW)).toBe(0);
    expect(daysOpen(aCase({ createdAt: '2025-06-17T12:00:00.000Z' }), NOW)).toBe(1);
  });

  it('should stop at closedAt, else at resolvedAt', () => {
    const created = '2025-06-01T00:00:00.000Z';
    const resolvedAt = '2025-06-04T00:00:00.000Z';
    expect(daysOpen(aCase({ createdAt: created, resolvedAt }), NOW)).toBe(3);
    expect(
      daysOpen(
        aCase({ createdAt: created, resolvedAt, closedAt: '2025-06-10T06:00:00.000Z' }),
        NOW,
      ),
    ).toBe(9);
  });

  it('should be null without a createdAt', () => {
    expect(daysOpen(aCase({ createdAt: null }), NOW)).toBeNull();
  });
});
