import type { SupportCase } from '../cases/case.model.js';
import { collectBits, hasBit, type Bitset } from './bitset.js';
import type { SortOrder } from './sort-order.js';
import { smallestNumbers } from './top-k.js';

export const DAY_MS = 86_400_000;
// Local bindings: see bitset.ts.
const { floor } = Math;
/** The endedMs of a running case. */
const RUNNING = NaN;

/** Whole days from `createdMs` to `endedMs`, or to `nowMs` while the case runs (NaN ended). */
export function wholeDaysOpen(createdMs: number, endedMs: number, nowMs: number): number {
  // NaN is the only value unequal to itself: the check without a global lookup.
  return floor(((endedMs !== endedMs ? nowMs : endedMs) - createdMs) / DAY_MS);
}

/**
 * The first instant after `nowMs` at which wholeDaysOpen may give another value: the next whole
 * day of a running case; never (Infinity) once it ended or without a creation time.
 */
export function daysOpenChangesAt(createdMs: number, endedMs: number, nowMs: number): number {
  if (endedMs === endedMs || createdMs !== createdMs) return Infinity;
  return createdMs + (wholeDaysOpen(createdMs, endedMs, nowMs) + 1) * DAY_MS;
}

/** Whole days from createdAt to closedAt ?? resolvedAt ?? now; null without a createdAt. */
export function daysOpen(
  c: Pick<SupportCase, 'createdAt' | 'resolvedAt' | 'closedAt'>,
  now: Date,
): number | null {
  if (c.createdAt === null) return null;
  const ended = c.closedAt ?? c.resolvedAt;
  const days = wholeDaysOpen(
    Date.parse(c.createdAt),
    ended === null ? NaN : Date.parse(ended),
    now.getTime(),
  );
  return Number.isNaN(days) ? null : days;
}

/** What a daysOpen page is read from; see daysOpenPage. */
export interface DaysOpenColumns {
  createdMs: Float64Array;
  endedMs: Float64Array;
  /** Ties are broken by id. */
  idOrder: SortOrder;
  /** By createdAt: a running case has more days open the older it is. */
  byCreated: SortOrder;
  /** By the fixed daysOpen of ended cases; running ones and those without createdAt are null. */
  byEndedDays: SortOrder;
  /** Whether any match is running / has ended: a stream without matches is not walked at all. */
  anyRunning: boolean;
  anyEnded: boolean;
}

/**
 * Positions [start, end) of the matching slots by daysOpen, which moves with the clock and so
 * has no kept order of its own. It is merged from two kept ones: running cases in createdAt
 * order (their days are monotone in it) and ended cases by their fixed days. Each day's cases
 * from both are sorted by id, as every tie is; cases without createdAt come last.
 */
export function daysOpenPage(
  columns: DaysOpenColumns,
  match: Bitset,
  desc: boolean,
  start: number,
  end: number,
  nowMs: number,
): Int32Array {
  const { createdMs, endedMs, byCreated, byEndedDays } = columns;
  const idRank = columns.idOrder.rank;
  const running = new DayStream(
    byCreated.order,
    columns.anyRunning ? byCreated.nonNull : 0,
    desc,
    (slot) => hasBit(match, slot) && endedMs[slot] !== endedMs[slot],
    (slot) => wholeDaysOpen(createdMs[slot], RUNNING, nowMs),
  );
  const ended = new DayStream(
    byEndedDays.order,
    columns.anyEnded ? byEndedDays.nonNull : 0,
    !desc,
    (slot) => hasBit(match, slot),
    (slot) => wholeDaysOpen(createdMs[slot], endedMs[slot], nowMs),
  );
  const page = new Int32Array(end - start);
  let seen = 0;
  const day: number[] = [];
  while (seen < end && (running.slot >= 0 || ended.slot >= 0)) {
    const endedFirst =
      running.slot < 0 ||
      (ended.slot >= 0 && (desc ? ended.days > running.days : ended.days < running.days));
    const days = endedFirst ? ended.days : running.days;
    day.length = 0;
    running.takeDay(days, day);
    ended.takeDay(days, day);
    if (seen + day.length > start) {
      day.sort((a, b) => idRank[a] - idRank[b]);
      for (let i = Math.max(0, start - seen); i < day.length && seen + i < end; i++) {
        page[seen + i - start] = day[i];
      }
    }
    seen += day.length;
  }
  const { order } = byCreated;
  for (let i = byCreated.nonNull; i < order.length && seen < end; i++) {
    if (hasBit(match, order[i])) {
      if (seen >= start) page[seen - start] = order[i];
      seen++;
    }
  }
  return page;
}

/** A scored page packs (days, id rank) into one exact double: id ranks below 2^22, ... */
const ID_SPAN = 2 ** 22;
/** ... days within ±2^20 (2,870 years) shifted to be non-negative, and nulls after all. */
const DAY_BIAS = 2 ** 20;
const NULL_DAYS = 2 ** 21;

/** Whether id ranks fit the packing of scoredDaysOpenPage. */
export function canScoreDaysOpen(capacity: number): boolean {
  return capacity <= ID_SPAN;
}

/**
 * The same page for few matches, where walking the two orders would pass over many others:
 * each match gets one number that sorts as (days in the requested direction, id), and a
 * numeric heap keeps the first `end`.
 */
export function scoredDaysOpenPage(
  columns: DaysOpenColumns,
  match: Bitset,
  matched: number,
  desc: boolean,
  start: number,
  end: number,
  nowMs: number,
): Int32Array {
  const { createdMs, endedMs } = columns;
  const { rank: idRank, order: byId } = columns.idOrder;
  const slots = new Int32Array(matched);
  collectBits(match, slots);
  const keys = new Float64Array(matched);
  for (let i = 0; i < matched; i++) {
    const slot = slots[i];
    const created = createdMs[slot];
    let bucket = NULL_DAYS;
    if (created === created /* not NaN: has a createdAt */) {
      const days = wholeDaysOpen(created, endedMs[slot], nowMs);
      const clamped = days < 1 - DAY_BIAS ? 1 - DAY_BIAS : days >= DAY_BIAS ? DAY_BIAS - 1 : days;
      bucket = DAY_BIAS + (desc ? -clamped : clamped);
    }
    keys[i] = bucket * ID_SPAN + idRank[slot];
  }
  const best = smallestNumbers(keys, end);
  const page = new Int32Array(end - start);
  for (let i = start; i < end; i++) page[i - start] = byId[best[i] % ID_SPAN];
  return page;
}

/** The accepted slots of an order's non-null part, front to back or back to front. */
class DayStream {
  slot = -1;
  days = 0;
  private at: number;
  private readonly step: number;
  private readonly stop: number;

  constructor(
    private readonly slots: Int32Array,
    length: number,
    forward: boolean,
    private readonly accept: (slot: number) => boolean,
    private readonly daysOf: (slot: number) => number,
  ) {
    this.at = forward ? 0 : length - 1;
    this.step = forward ? 1 : -1;
    this.stop = forward ? length : -1;
    this.advance();
  }

  /** Moves every slot of `days` (they are consecutive) into `into`. */
  takeDay(days: number, into: number[]): void {
    while (this.slot >= 0 && this.days === days) {
      into.push(this.slot);
      this.advance();
    }
  }

  private advance(): void {
    while (this.at !== this.stop) {
      const slot = this.slots[this.at];
      this.at += this.step;
      if (this.accept(slot)) {
        this.slot = slot;
        this.days = this.daysOf(slot);
        return;
      }
    }
    this.slot = -1;
  }
}
