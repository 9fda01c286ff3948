import { floorTo } from './world.js';

/**
 * Hands out "updated" stamps for changed records: wall-clock time at the system's precision, but
 * always strictly later than every stamp handed out or observed before, so a change made within
 * the same second as the previous one still sorts (and filters) after it.
 */
export class UpdateClock {
  private last: number;

  constructor(
    private readonly precisionMs: number,
    latestExisting: number,
  ) {
    this.last = floorTo(latestExisting, precisionMs);
  }

  next(): number {
    this.last = Math.max(floorTo(Date.now(), this.precisionMs), this.last + this.precisionMs);
    return this.last;
  }
}
