import { formatUtcSeconds, TimeZone } from './time-zone.js';

describe(TimeZone.name, () => {
  const paris = new TimeZone('Europe/Paris');

  it('should format naive local time on both sides of a DST change', () => {
    expect(paris.formatNaive(Date.UTC(2025, 0, 15, 12, 0, 0))).toBe('2025-01-15 13:00:00');
    expect(paris.formatNaive(Date.UTC(2025, 6, 15, 12, 0, 0))).toBe('2025-07-15 14:00:00');
    expect(paris.formatNaive(Date.UTC(2025, 2, 30, 0, 59, 59))).toBe('2025-03-30 01:59:59');
    expect(paris.formatNaive(Date.UTC(2025, 2, 30, 1, 0, 0))).toBe('2025-03-30 03:00:00');
  });

  it('should format JIRA timestamps with a colon-less offset', () => {
    expect(paris.formatJira(Date.UTC(2025, 2, 1, 8, 3, 10, 123))).toBe(
      '2025-03-01T09:03:10.123+0100',
    );
    expect(new TimeZone('UTC').formatJira(Date.UTC(2025, 2, 1, 8, 3, 10, 123))).toBe(
      '2025-03-01T08:03:10.123+0000',
    );
    expect(new TimeZone('America/St_Johns').formatJira(Date.UTC(2025, 0, 1))).toBe(
      '2024-12-31T20:30:00.000-0330',
    );
  });

  it('should parse local wall-clock time back to UTC, earlier instant in an overlap', () => {
    expect(paris.parseNaive('2025-07-15 14:00:00')).toBe(Date.UTC(2025, 6, 15, 12, 0, 0));
    expect(paris.parseNaive('2025/01/15 13:00')).toBe(Date.UTC(2025, 0, 15, 12, 0, 0));
    expect(paris.parseNaive('2025-10-26 02:30:00')).toBe(Date.UTC(2025, 9, 26, 0, 30, 0));
    expect(paris.formatNaive(paris.parseNaive('2025-03-30 02:30:00')!)).toBe('2025-03-30 03:30:00');
    expect(paris.parseNaive('2025-13-01')).toBeNull();
    expect(paris.parseNaive('yesterday')).toBeNull();
  });

  it('should read back an instant as itself, but as the earlier one in an autumn overlap', () => {
    const summer = Date.UTC(2025, 6, 15, 12, 0, 7);
    expect(paris.readBack(summer + 999)).toBe(summer);
    // 01:30 UTC is 02:30 CET, a wall time 00:30 UTC (02:30 CEST) also had.
    expect(paris.readBack(Date.UTC(2025, 9, 26, 1, 30))).toBe(Date.UTC(2025, 9, 26, 0, 30));
    expect(paris.readBack(Date.UTC(2025, 9, 26, 0, 30))).toBe(Date.UTC(2025, 9, 26, 0, 30));
    expect(paris.readBack(Date.UTC(2025, 9, 26, 2, 0))).toBe(Date.UTC(2025, 9, 26, 2, 0));
  });

  it('should reject unknown zones', () => {
    expect(() => new TimeZone('Mars/Olympus')).toThrow(RangeError);
  });

  describe(formatUtcSeconds.name, () => {
    it('should render Bugzilla UTC datetimes without milliseconds', () => {
      expect(formatUtcSeconds(Date.UTC(2025, 2, 1, 7, 58, 0, 999))).toBe('2025-03-01T07:58:00Z');
    });
  });
});
