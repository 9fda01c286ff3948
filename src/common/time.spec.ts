import { isValidTimeZone, parseOffsetTimestamp, utcToZoned, zonedToUtc } from './time.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

describe(zonedToUtc.name, () => {
  it('should read a naive time in UTC as is', () => {
    expect(iso(zonedToUtc('2025-03-01 08:03:10', 'UTC'))).toBe('2025-03-01T08:03:10.000Z');
    expect(iso(zonedToUtc('2025-03-01 08:03:10', 'Etc/UTC'))).toBe('2025-03-01T08:03:10.000Z');
  });

  it('should accept a T separator and a missing seconds part', () => {
    expect(iso(zonedToUtc('2025-03-01T08:03', 'UTC'))).toBe('2025-03-01T08:03:00.000Z');
  });

  it('should subtract one hour in Paris in winter (CET, +01:00)', () => {
    expect(iso(zonedToUtc('2025-01-15 09:30:00', 'Europe/Paris'))).toBe('2025-01-15T08:30:00.000Z');
  });

  it('should subtract two hours in Paris in summer (CEST, +02:00)', () => {
    expect(iso(zonedToUtc('2025-07-15 09:30:00', 'Europe/Paris'))).toBe('2025-07-15T07:30:00.000Z');
  });

  it('should convert across midnight and the year boundary', () => {
    expect(iso(zonedToUtc('2025-01-01 00:30:00', 'Europe/Paris'))).toBe('2024-12-31T23:30:00.000Z');
  });

  it('should add hours for a zone west of UTC (New York EST and EDT)', () => {
    expect(iso(zonedToUtc('2025-01-15 09:30:00', 'America/New_York'))).toBe(
      '2025-01-15T14:30:00.000Z',
    );
    expect(iso(zonedToUtc('2025-07-15 09:30:00', 'America/New_York'))).toBe(
      '2025-07-15T13:30:00.000Z',
    );
  });

  it('should handle a half-hour offset zone', () => {
    expect(iso(zonedToUtc('2025-06-01 12:00:00', 'Asia/Kolkata'))).toBe('2025-06-01T06:30:00.000Z');
  });

  it('should convert the first wall time after the Paris spring-forward exactly', () => {
    // 2025-03-30 02:00 CET jumps to 03:00 CEST (01:00Z).
    expect(iso(zonedToUtc('2025-03-30 03:00:00', 'Europe/Paris'))).toBe('2025-03-30T01:00:00.000Z');
    expect(iso(zonedToUtc('2025-03-30 01:59:59', 'Europe/Paris'))).toBe('2025-03-30T00:59:59.000Z');
  });

  it('should read a wall time repeated by the Paris fall-back as the earlier instant', () => {
    // 2025-10-26 03:00 CEST falls back to 02:00 CET: 02:30 happens at 00:30Z and at 01:30Z.
    expect(iso(zonedToUtc('2025-10-26 02:30:00', 'Europe/Paris'))).toBe('2025-10-26T00:30:00.000Z');
    expect(iso(zonedToUtc('2025-10-26 02:08:37', 'Europe/Paris'))).toBe('2025-10-26T00:08:37.000Z');
    expect(iso(zonedToUtc('2025-10-26 03:00:00', 'Europe/Paris'))).toBe('2025-10-26T02:00:00.000Z');
  });

  it('should read a wall time repeated by the New York fall-back as the earlier instant', () => {
    // 2025-11-02 02:00 EDT falls back to 01:00 EST: 01:30 happens at 05:30Z and at 06:30Z.
    expect(iso(zonedToUtc('2025-11-02 01:30:00', 'America/New_York'))).toBe(
      '2025-11-02T05:30:00.000Z',
    );
  });

  it('should shift a wall time skipped by the Paris spring-forward forward', () => {
    // 02:30 does not exist on 2025-03-30; read with the offset before the change (CET): 01:30Z.
    expect(iso(zonedToUtc('2025-03-30 02:30:00', 'Europe/Paris'))).toBe('2025-03-30T01:30:00.000Z');
  });

  it('should shift a wall time skipped by the New York spring-forward forward', () => {
    // 02:30 does not exist on 2025-03-09; read with the offset before the change (EST): 07:30Z.
    expect(iso(zonedToUtc('2025-03-09 02:30:00', 'America/New_York'))).toBe(
      '2025-03-09T07:30:00.000Z',
    );
  });

  it('should convert wall times next to a DST change that falls in the middle of a UTC hour', () => {
    // Adelaide: 2025-10-05 02:00 ACST (+09:30) jumps to 03:00 ACDT (+10:30) at 16:30Z.
    expect(iso(zonedToUtc('2025-10-05 03:15:00', 'Australia/Adelaide'))).toBe(
      '2025-10-04T16:45:00.000Z',
    );
    // St John's: 2025-11-02 02:00 NDT (-02:30) falls back to 01:00 NST (-03:30) at 04:30Z.
    expect(iso(zonedToUtc('2025-11-02 02:15:00', 'America/St_Johns'))).toBe(
      '2025-11-02T05:45:00.000Z',
    );
  });

  it('should return null for text that is not a naive timestamp', () => {
    expect(zonedToUtc('yesterday', 'UTC')).toBeNull();
    expect(zonedToUtc('2025-03-01T08:03:10Z', 'Europe/Paris')).toBeNull();
    expect(zonedToUtc('', 'Europe/Paris')).toBeNull();
  });
});

describe(utcToZoned.name, () => {
  it('should format an instant as the wall clock of the zone', () => {
    expect(utcToZoned(new Date('2025-01-15T08:30:00Z'), 'Europe/Paris')).toBe(
      '2025-01-15 09:30:00',
    );
    expect(utcToZoned(new Date('2025-07-15T13:30:05Z'), 'America/New_York')).toBe(
      '2025-07-15 09:30:05',
    );
    expect(utcToZoned(new Date('2025-03-01T00:00:00Z'), 'UTC')).toBe('2025-03-01 00:00:00');
  });

  it('should round-trip with zonedToUtc for unambiguous wall times', () => {
    const cases: [string, string][] = [
      ['2025-01-15 09:30:00', 'Europe/Paris'],
      ['2025-07-15 23:59:59', 'Europe/Paris'],
      ['2025-03-30 03:00:00', 'Europe/Paris'],
      ['2025-11-02 03:00:00', 'America/New_York'],
      ['2024-02-29 12:00:00', 'Asia/Kolkata'],
      ['2025-10-05 03:15:00', 'Australia/Adelaide'],
    ];
    for (const [wall, zone] of cases) {
      const utc = zonedToUtc(wall, zone);
      expect(utc).not.toBeNull();
      expect(utcToZoned(utc!, zone)).toBe(wall);
    }
  });
});

describe(parseOffsetTimestamp.name, () => {
  it("should parse JIRA's colon-less offset with milliseconds", () => {
    expect(iso(parseOffsetTimestamp('2025-03-01T08:03:10.123+0000'))).toBe(
      '2025-03-01T08:03:10.123Z',
    );
    expect(iso(parseOffsetTimestamp('2025-03-01T08:03:10.123-0500'))).toBe(
      '2025-03-01T13:03:10.123Z',
    );
  });

  it('should parse an offset with a colon', () => {
    expect(iso(parseOffsetTimestamp('2025-03-01T09:03:10+01:00'))).toBe('2025-03-01T08:03:10.000Z');
  });

  it('should parse Z and a timestamp without seconds', () => {
    expect(iso(parseOffsetTimestamp('2025-03-01T08:03:10Z'))).toBe('2025-03-01T08:03:10.000Z');
    expect(iso(parseOffsetTimestamp('2025-03-01T08:03Z'))).toBe('2025-03-01T08:03:00.000Z');
  });

  it('should ignore surrounding whitespace', () => {
    expect(iso(parseOffsetTimestamp(' 2025-03-01T08:03:10Z\n'))).toBe('2025-03-01T08:03:10.000Z');
  });

  it('should return null for garbage, naive times and impossible dates', () => {
    expect(parseOffsetTimestamp('garbage')).toBeNull();
    expect(parseOffsetTimestamp('')).toBeNull();
    expect(parseOffsetTimestamp('2025-03-01 08:03:10')).toBeNull();
    expect(parseOffsetTimestamp('2025-03-01T08:03:10')).toBeNull();
    expect(parseOffsetTimestamp('2025-13-45T08:03:10Z')).toBeNull();
  });
});

describe(isValidTimeZone.name, () => {
  it('should accept IANA names and UTC', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
  });

  it('should reject unknown names', () => {
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('not a zone')).toBe(false);
  });
});
