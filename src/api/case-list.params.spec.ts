import { stringify } from 'node:querystring';
import { BadRequestException } from '@nestjs/common';
import type { CaseFilter } from '../query/case-query.js';
import { viewKey } from '../query/view-cache.js';
import { parseDataTables, queryStringOf } from './case-list.params.js';

/** A query string as the browser sends it (arrays as repeated parameters). */
const qs = (params: Record<string, string | string[]>) => stringify(params);

const TABLE = {
  draw: '3',
  start: '50',
  length: '25',
  'order[0][column]': '1',
  'order[0][dir]': 'desc',
  'columns[0][data]': 'key',
  'columns[1][data]': 'updatedAt',
  'search[value]': ' printer ',
};

describe('parseDataTables', () => {
  it('should read the DataTables protocol and the filters beside it', () => {
    const { view, ...read } = parseDataTables(
      qs({ ...TABLE, status: 'open,pending', account: ['ACME', 'Globex'], q: 'jam' }),
    );
    expect(view).toBe(viewKey(read.filter, read.sort));
    expect(read).toEqual({
      draw: 3,
      filter: {
        status: ['open', 'pending'],
        account: ['ACME', 'Globex'],
        q: 'jam printer',
      },
      sort: [{ field: 'updatedAt', dir: 'desc' }],
      offset: 50,
      limit: 25,
    });
  });

  it('should share what requests ask alike, frozen so that no caller can change it', () => {
    const first = parseDataTables(qs({ ...TABLE, status: 'open' }));
    // Typed read-only; frozen too, for code that writes all the same.
    expect(() => ((first.filter as CaseFilter).q = 'changed by the caller')).toThrow(TypeError);
    expect(() => first.filter.status!.push('closed')).toThrow(TypeError);
    expect(() => first.sort.push({ field: 'key', dir: 'asc' })).toThrow(TypeError);
    expect(() => (first.sort[0].dir = 'asc')).toThrow(TypeError);
    const again = parseDataTables(qs({ ...TABLE, draw: '4', status: 'open' }));
    expect(again.draw).toBe(4);
    expect(again.filter).toBe(first.filter);
    expect(again.filter).toEqual({ status: ['open'], q: 'printer' });
    // Read the slow way (an escaped counter), the answer is frozen all the same.
    const escaped = parseDataTables(`dr%61w=5&${qs({ ...TABLE, draw: [], status: 'open' })}`);
    expect(Object.isFrozen(escaped.filter) && Object.isFrozen(escaped.sort[0])).toBe(true);
  });

  it('should give the view key of what it read', () => {
    for (const status of ['open', 'new', ['open', 'new']]) {
      const read = parseDataTables(qs({ ...TABLE, status }));
      expect(read.view).toBe(viewKey(read.filter, read.sort));
    }
    const byDays = { ...TABLE, 'columns[1][data]': 'daysOpen' };
    expect(parseDataTables(qs(byDays)).view).toBeNull();
  });

  it('should refuse a bad filter every time it is asked, naming it', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => parseDataTables(qs({ ...TABLE, status: 'lost' }))).toThrow(BadRequestException);
      expect(() => parseDataTables(qs({ ...TABLE, status: 'lost' }))).toThrow(/status/);
    }
    expect(() => parseDataTables(qs({ ...TABLE, colour: 'red' }))).toThrow(/unknown parameter/);
    expect(() => parseDataTables(qs({ ...TABLE, length: '501' }))).toThrow(/length/);
  });

  it('should tell apart filters that differ only in a value', () => {
    expect(parseDataTables(qs({ ...TABLE, severity: 'urgent' })).filter.severity).toEqual([
      'urgent',
    ]);
    expect(parseDataTables(qs({ ...TABLE, severity: 'low' })).filter.severity).toEqual(['low']);
    expect(parseDataTables(qs({ ...TABLE, open: 'true' })).filter.open).toBe(true);
    expect(parseDataTables(qs({ ...TABLE, open: 'false' })).filter.open).toBe(false);
  });

  it('should read the draw counter of every request, also when the rest was asked before', () => {
    const first = parseDataTables(`draw=1&${qs({ ...TABLE, draw: [] })}&_=1700000000000`);
    const again = parseDataTables(`${qs({ ...TABLE, draw: [] })}&_=1700000000001&draw=2&draw=9`);
    expect(first.draw).toBe(1);
    expect(again.draw).toBe(2);
    expect(again).toEqual({ ...first, draw: 2 });
    expect(parseDataTables(qs({ ...TABLE, draw: [] })).draw).toBe(0);
    expect(() => parseDataTables(qs({ ...TABLE, draw: 'x' }))).toThrow(/draw/);
    expect(() => parseDataTables(qs({ ...TABLE, draw: '-1' }))).toThrow(/draw/);
  });

  it('should read parameters as the query parser does: escapes, plus signs, repeats', () => {
    expect(
      parseDataTables('search%5Bvalue%5D=paper+jam&status=open%2Cnew&account=A%26B&account=C')
        .filter,
    ).toEqual({ status: ['open', 'new'], account: ['A&B', 'C'], q: 'paper jam' });
    // An escaped spelling of the counters is not what the browser sends, but it is still read.
    const escaped = parseDataTables(`dr%61w=7&${qs({ ...TABLE, draw: [] })}&%5F=1`);
    expect(escaped.draw).toBe(7);
    expect(escaped.offset).toBe(50);
    expect(parseDataTables(`dr%61w=8&${qs({ ...TABLE, draw: [] })}&%5F=1`).draw).toBe(8);
    expect(parseDataTables('').limit).toBe(50);
  });

  // Parses are kept by the query string without its counters: a kept parse must be exactly what
  // reading the whole string afresh gives. An escaped spelling of the draw counter is never
  // kept (see above), so it gives the fresh reading to compare with.
  it('should answer from kept parses exactly as from a fresh reading (random walk)', () => {
    const fresh = (search: string) => parseDataTables(search.replace(/(^|&)draw=/, '$1dr%61w='));
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(values: readonly T[]) => values[random(values.length)];
    let shared = 0;
    for (let step = 0; step < 400; step++) {
      const params: Record<string, string | string[]> = {
        start: String(pick([0, 50, 100])),
        length: pick(['10', '50']),
        'columns[0][data]': 'severity',
        'columns[1][data]': 'updatedAt',
        'order[0][column]': pick(['0', '1']),
        'order[0][dir]': pick(['asc', 'desc']),
      };
      if (random(2)) params.status = pick(['open', 'new,pending', ['open', 'closed']]);
      if (random(2)) params.account = pick(['ACME', ['ACME', 'Globex']]);
      if (random(3) === 0) params['search[value]'] = pick(['jam', ' paper jam ', 'a+b']);
      if (random(4) === 0) params.q = 'printer';
      const parts = qs(params).split('&');
      parts.splice(random(parts.length + 1), 0, `draw=${step}`);
      if (random(2)) parts.splice(random(parts.length + 1), 0, `_=${1_700_000_000_000 + step}`);
      const search = parts.join('&');
      const answer = parseDataTables(search);
      expect(answer).toEqual(fresh(search));
      expect(answer.draw).toBe(step);
      expect(answer.view).toBe(viewKey(answer.filter, answer.sort));
      if (answer.sort === parseDataTables(search).sort) shared++;
    }
    // A second reading of the same string is a kept parse (the same sort list object).
    expect(shared).toBe(400);
  });
});

describe('queryStringOf', () => {
  it('should give what follows the ? and precedes any #, as Express reads a URL', () => {
    expect(queryStringOf('/api/v1/cases/datatable?draw=1&start=0')).toBe('draw=1&start=0');
    expect(queryStringOf('/api/v1/cases/datatable?draw=1&start=0#&colour=red')).toBe(
      'draw=1&start=0',
    );
    expect(queryStringOf('/api/v1/cases/datatable#x?start=0')).toBe('');
    expect(queryStringOf('/api/v1/cases/datatable')).toBe('');
    expect(queryStringOf('/api/v1/cases/datatable?')).toBe('');
  });
});
