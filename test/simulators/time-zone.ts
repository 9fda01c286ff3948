const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * 60_000;

/**
 * Converts between UTC instants and naive wall-clock times of one IANA zone. Offsets are cached
 * per UTC day, and per 15-minute bucket on the few days holding a transition (every real zone
 * transition falls on such a boundary), so formatting 100k timestamps costs a map lookup each
 * instead of an Intl call.
 */
export class TimeZone {
  /** Offset per UTC day, or null for a day with a transition (then see `buckets`). */
  private readonly days = new Map<number, number | null>();
  private readonly buckets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;

  /** @throws RangeError when `name` is not a known IANA zone. */
  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset of local time from UTC at the instant, in ms (Paris in summer: +7200000). */
  offsetAt(utcMs: number): number {
    const day = Math.floor(utcMs / DAY_MS);
    let daily = this.days.get(day);
    if (daily === undefined) {
      const first = this.computeOffset(day * DAY_MS);
      const last = this.computeOffset((day + 1) * DAY_MS - 1000);
      daily = first === last ? first : null;
      this.days.set(day, daily);
    }
    if (daily !== null) return daily;
    const bucket = Math.floor(utcMs / BUCKET_MS);
    let offset = this.buckets.get(bucket);
    if (offset === undefined) {
      offset = this.computeOffset(bucket * BUCKET_MS);
      this.buckets.set(bucket, offset);
    }
    return offset;
  }

  /** `YYYY-MM-DD HH:MM:SS` wall-clock time, as GLPI renders datetimes. */
  formatNaive(utcMs: number): string {
    const d = new Date(utcMs + this.offsetAt(utcMs));
    return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(
      d.getUTCHours(),
    )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  }

  /**
   * The instant a client recovers from `formatNaive(utcMs)`: the same second, except in an
   * autumn overlap, where the wall time names two instants and a reader can only take the earlier.
   */
  readBack(utcMs: number): number {
    return this.parseNaive(this.formatNaive(utcMs)) as number;
  }

  /** `YYYY-MM-DDTHH:MM:SS.mmm+hhmm`, as JIRA renders timestamps. */
  formatJira(utcMs: number): string {
    const offset = this.offsetAt(utcMs);
    const d = new Date(utcMs + offset);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset) / 60_000;
    return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(
      d.getUTCHours(),
    )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(
      d.getUTCMilliseconds(),
    ).padStart(3, '0')}${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  }

  /** `YYYY-MM-DD` local calendar date. */
  formatDate(utcMs: number): string {
    return this.formatNaive(utcMs).slice(0, 10);
  }

  /**
   * UTC instant of a local wall-clock time. In a DST gap the time is shifted forward; in an
   * overlap the earlier instant wins.
   */
  toUtc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    // At most one transition lies within a day of any instant, so the offsets a day either side
    // are the only candidates.
    const before = asUtc - this.offsetAt(asUtc - 86_400_000);
    const after = asUtc - this.offsetAt(asUtc + 86_400_000);
    const valid = [before, after].filter((t) => this.offsetAt(t) === asUtc - t);
    return valid.length > 0 ? Math.min(...valid) : before;
  }

  /** Parses `YYYY-MM-DD[ HH:MM[:SS]]` (also with `/` separators) as local time; null if invalid. */
  parseNaive(text: string): number | null {
    const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(
      text.trim(),
    );
    if (!m) return null;
    const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    return this.toUtc(year, month, day, hour, minute, second);
  }

  private computeOffset(utcMs: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(utcMs))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const local = Date.UTC(
      parts.year,
      parts.month - 1,
      parts.day,
      parts.hour,
      parts.minute,
      parts.second,
    );
    return local - Math.floor(utcMs / 1000) * 1000;
  }
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DDTHH:MM:SSZ`, as Bugzilla renders datetimes. */
export function formatUtcSeconds(utcMs: number): string {
  return new Date(Math.floor(utcMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
