/** Time-zone arithmetic on Intl only: upstreams send naive local times (GLPI) or odd offsets (JIRA). */

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatterCache.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatterCache.set(zone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(epochMs: number, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

const dayOffsets = new Map<string, Map<number, number>>();
const hourOffsets = new Map<string, Map<number, number>>();

function exactOffsetAt(epochMs: number, zone: string): number {
  const second = Math.floor(epochMs / 1000) * 1000;
  const wall = wallClockAt(second, zone);
  return (
    Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - second
  );
}

function cacheFor(caches: Map<string, Map<number, number>>, zone: string): Map<number, number> {
  let cache = caches.get(zone);
  if (!cache || cache.size > 100_000) caches.set(zone, (cache = new Map<number, number>()));
  return cache;
}

/** The offset over [start, start + span), or null when it changes inside that span. */
function steadyOffset(start: number, span: number, zone: string): number | null {
  const offset = exactOffsetAt(start, zone);
  return exactOffsetAt(start + span - 1000, zone) === offset ? offset : null;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Offset (ms, local minus UTC) of `zone` at the instant `epochMs`. Cached per UTC day when the
 * offset holds all day (most days), else per hour; an hour in which it changes (DST, or the
 * half-hour shifts of Australia/Adelaide or America/St_Johns) is computed exactly.
 */
function offsetAt(epochMs: number, zone: string): number {
  const day = Math.floor(epochMs / DAY);
  const days = cacheFor(dayOffsets, zone);
  const daily = days.get(day);
  if (daily !== undefined) return daily;
  const wholeDay = steadyOffset(day * DAY, DAY, zone);
  if (wholeDay !== null) {
    days.set(day, wholeDay);
    return wholeDay;
  }
  const hour = Math.floor(epochMs / HOUR);
  const hours = cacheFor(hourOffsets, zone);
  const hourly = hours.get(hour);
  if (hourly !== undefined) return hourly;
  const wholeHour = steadyOffset(hour * HOUR, HOUR, zone);
  if (wholeHour === null) return exactOffsetAt(epochMs, zone);
  hours.set(hour, wholeHour);
  return wholeHour;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Converts a naive local timestamp ("2025-03-01 08:03:10") in `zone` to a UTC Date. A wall time
 * that DST repeats (autumn) is the earlier of its two instants; one that DST skips (spring) is
 * read with the offset before the change, i.e. shifted forward (as JavaScript's Temporal does).
 * Returns null when the text is not a timestamp.
 */
export function zonedToUtc(naive: string, zone: string): Date | null {
  const m = NAIVE.exec(naive.trim());
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
  if (zone === 'UTC' || zone === 'Etc/UTC') return new Date(asUtc);
  // Offsets change at most once in a day: the ones a day either side bound every reading.
  const before = asUtc - offsetAt(asUtc - DAY, zone);
  const after = asUtc - offsetAt(asUtc + DAY, zone);
  const fits = (t: number) => t + offsetAt(t, zone) === asUtc;
  const readings = [before, after].filter(fits);
  return new Date(readings.length > 0 ? Math.min(...readings) : before);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Formats an instant as a naive "YYYY-MM-DD HH:MM:SS" wall-clock time in `zone`. */
export function utcToZoned(date: Date, zone: string): string {
  const w = wallClockAt(date.getTime(), zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

const OFFSET_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})$/;

/** Parses ISO-8601 with `Z`, `+01:00` or JIRA's colon-less `+0000`; null when not such a timestamp. */
export function parseOffsetTimestamp(text: string): Date | null {
  const m = OFFSET_DATE.exec(text.trim());
  if (!m) return null;
  const zone = m[2] === 'Z' ? 'Z' : `${m[2].slice(0, 3)}:${m[2].slice(-2)}`;
  const date = new Date(m[1] + zone);
  return Number.isNaN(date.getTime()) ? null : date;
}
