import { aCase } from './case-fixture.js';
import { DAY_MS, daysOpen, daysOpenChangesAt, wholeDaysOpen } from './days-open.js';

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

describe(daysOpenChangesAt.name, () => {
  const created = Date.parse('2025-06-01T10:20:30.456Z');

  it('should give the next whole day of a running case, and hold the count until then', () => {
    for (let now = created; now < created + 5 * DAY_MS; now += 7_777_777) {
      const days = wholeDaysOpen(created, NaN, now);
      const until = daysOpenChangesAt(created, NaN, now);
      expect(until).toBeGreaterThan(now);
      expect(wholeDaysOpen(created, NaN, until - 1)).toBe(days);
      expect(wholeDaysOpen(created, NaN, until)).toBe(days + 1);
    }
  });

  it('should never change once the case ended or without a creation time', () => {
    expect(daysOpenChangesAt(created, created + DAY_MS, created + 9 * DAY_MS)).toBe(Infinity);
    expect(daysOpenChangesAt(NaN, NaN, created)).toBe(Infinity);
  });
});
