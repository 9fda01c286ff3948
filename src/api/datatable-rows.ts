import { CASE_FIELDS, type SupportCase } from '../cases/case.model.js';
import {
  slaClock,
  slaStateAt,
  slaStateChangesAt,
  type SlaClock,
  type SlaDays,
} from '../query/case-stats.js';
import { daysOpenChangesAt, wholeDaysOpen } from '../query/days-open.js';
import type { CaseRow } from './case-read.service.js';

/**
 * What a DataTables row carries besides days open and SLA: what the table, its tooltips and
 * its child row show. Not the case id (source and key), its own links (`linked` has them with
 * titles), closedAt or other stored fields: every byte is sent for each row of every page.
 */
const NOT_IN_TABLE_ROWS: readonly string[] = ['id', 'links', 'closedAt'];
const TABLE_ROW_FIELDS: readonly (keyof CaseRow)[] = [
  ...CASE_FIELDS.filter((field) => !NOT_IN_TABLE_ROWS.includes(field)),
  'href',
  'linked',
];

/** Per slot in `times`: the store version, the scope, and the span the row text holds for. */
const VERSION = 0;
const SCOPE = 1;
const FROM = 2;
const UNTIL = 3;
const STRIDE = 4;
/** Rows kept at most, about 14 MB. */
const MAX_ROWS = 20_000;

/**
 * JSON text with every non-ASCII character escaped (`é` as `\u00e9`): a one-byte string, so
 * the answer joining the rows stays one-byte and is written to the socket as is (a single
 * two-byte row would make the whole answer two-byte and need UTF-8 encoding on every write).
 */
export function asciiJson(json: string): string {
  return json.replace(
    /[\u0080-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A case's row without the per-request fields, and its SLA clock: valid while its slot holds
 * the same case, store version and scope (see `cases` and `times`).
 */
interface RowParts extends SlaClock {
  /**
   * Length of the row's JSON without its closing brace, which starts the row text (days open
   * and SLA follow): the text is the only copy kept.
   */
  jsonLength: number;
  endedMs: number;
  dueAtJson: string;
}

/**
 * DataTables row texts by index slot. Each row's time-independent part is serialized once per
 * case, store version and account scope (linked cases' titles and statuses can change with any
 * sync); the whole text, days open and SLA state included, is reused until the first instant
 * either may change, so most requests only check that each text still holds: a case pointer
 * and four numbers side by side per slot. The JSON is kept only as the start of the text.
 */
export class DataTableRows {
  private readonly parts: (RowParts | undefined)[] = [];
  private readonly cases: (SupportCase | undefined)[] = [];
  private readonly texts: string[] = [];
  private times = new Float64Array(0);
  private readonly scopeIds = new Map<string, number>();
  /** Never reused, even after the map is cleared: a row of another scope must never match. */
  private nextScopeId = 1;
  /** Slots holding a row; past maxRows every row is dropped (see fresh). */
  private filled = 0;

  constructor(
    private readonly slaDays: SlaDays,
    /** The full row of a case as `scope` sees it (its linked cases' titles and statuses). */
    private readonly rowOf: (c: SupportCase, scope: string[] | null) => CaseRow,
    private readonly maxRows = MAX_ROWS,
  ) {}

  /** The rows of `items` (at index slots `slots`) as JSON texts, at `nowMs`. */
  rowTexts(
    items: readonly SupportCase[],
    slots: Int32Array,
    scope: string[] | null,
    version: number,
    nowMs: number,
  ): string[] {
    const scopeId = this.scopeId(scope === null ? '*' : JSON.stringify(scope));
    const rows = new Array<string>(items.length);
    for (let i = 0; i < items.length; i++) {
      const slot = slots[i];
      if (slot >= this.cases.length) this.grow(slot + 1);
      const t = slot * STRIDE;
      const times = this.times;
      if (
        this.cases[slot] === items[i] &&
        times[t + VERSION] === version &&
        times[t + SCOPE] === scopeId &&
        nowMs >= times[t + FROM] &&
        nowMs < times[t + UNTIL]
      ) {
        rows[i] = this.texts[slot];
      } else {
        rows[i] = this.fresh(items[i], slot, scope, scopeId, version, nowMs);
      }
    }
    return rows;
  }

  /**
   * The span the texts last given for `slots` all hold for, [from, until): a page of them can be
   * sent again within it while the cases and their linked cases are unchanged.
   */
  validSpan(slots: Int32Array): [from: number, until: number] {
    let from = -Infinity;
    let until = Infinity;
    for (const slot of slots) {
      const t = slot * STRIDE;
      from = Math.max(from, this.times[t + FROM]);
      until = Math.min(until, this.times[t + UNTIL]);
    }
    return [from, until];
  }

  private fresh(
    c: SupportCase,
    slot: number,
    scope: string[] | null,
    scopeId: number,
    version: number,
    nowMs: number,
  ): string {
    const t = slot * STRIDE;
    let parts = this.parts[slot];
    let json: string;
    if (
      parts !== undefined &&
      this.cases[slot] === c &&
      this.times[t + VERSION] === version &&
      this.times[t + SCOPE] === scopeId
    ) {
      // Only the time has moved on. Parts and text of a slot are always written together: the
      // text starts with the JSON.
      json = this.texts[slot].slice(0, parts.jsonLength);
    } else {
      if (this.cases[slot] === undefined && ++this.filled > this.maxRows) this.dropAll();
      [parts, json] = this.partsOf(c, scope);
      this.parts[slot] = parts;
    }
    const days = wholeDaysOpen(parts.createdMs, parts.endedMs, nowMs);
    const state = slaStateAt(parts, nowMs);
    // Joined rather than concatenated: a flat string, which the answer's join copies in one
    // go (a concatenation stays a tree of pieces that every answer walks again).
    const text = [
      json,
      ',"daysOpen":',
      days !== days ? 'null' : String(days),
      ',"sla":{"dueAt":',
      parts.dueAtJson,
      ',"state":"',
      state,
      '"}}',
    ].join('');
    this.cases[slot] = c;
    this.texts[slot] = text;
    this.times[t + VERSION] = version;
    this.times[t + SCOPE] = scopeId;
    this.times[t + FROM] = nowMs;
    this.times[t + UNTIL] = Math.min(
      daysOpenChangesAt(parts.createdMs, parts.endedMs, nowMs),
      slaStateChangesAt(parts, nowMs),
    );
    return text;
  }

  private partsOf(c: SupportCase, scope: string[] | null): [RowParts, string] {
    const row = this.rowOf(c, scope);
    const fixed: Record<string, unknown> = {};
    for (const field of TABLE_ROW_FIELDS) fixed[field] = row[field];
    const ended = c.closedAt ?? c.resolvedAt;
    const sla = slaClock(c, this.slaDays);
    // Every field named, in one order: all parts share one hidden class (a spread may not).
    const json = asciiJson(JSON.stringify(fixed).slice(0, -1));
    const parts: RowParts = {
      jsonLength: json.length,
      endedMs: ended === null ? NaN : Date.parse(ended),
      createdMs: sla.createdMs,
      dueMs: sla.dueMs,
      dueAt: sla.dueAt,
      open: sla.open,
      dueAtJson: JSON.stringify(sla.dueAt),
    };
    return [parts, json];
  }

  /** Bounds the memory rows take (some 700 bytes each): the next pages fill it again. */
  private dropAll(): void {
    this.parts.fill(undefined);
    this.cases.fill(undefined);
    this.texts.fill('');
    this.filled = 1;
  }

  private scopeId(scopeKey: string): number {
    let id = this.scopeIds.get(scopeKey);
    if (id === undefined) {
      // Scopes are few (one per account set of partners); a flood of them only costs reuse.
      if (this.scopeIds.size >= 10_000) this.scopeIds.clear();
      id = this.nextScopeId++;
      this.scopeIds.set(scopeKey, id);
    }
    return id;
  }

  /** Grown densely: a sparse array of 100k slots would fall back to a dictionary. */
  private grow(length: number): void {
    while (this.cases.length < length) {
      this.cases.push(undefined);
      this.parts.push(undefined);
      this.texts.push('');
    }
    if (this.times.length < length * STRIDE) {
      const times = new Float64Array(2 * length * STRIDE);
      times.set(this.times);
      this.times = times;
    }
  }
}
