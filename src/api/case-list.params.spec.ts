import { BadRequestException } from '@nestjs/common';
import { parseDataTables } from './case-list.params.js';

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
    expect(
      parseDataTables({ ...TABLE, status: 'open,pending', account: ['ACME', 'Globex'], q: 'jam' }),
    ).toEqual({
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

  it('should give each request a filter of its own, whatever it asked before', () => {
    const first = parseDataTables({ ...TABLE, status: 'open' });
    first.filter.q = 'changed by the caller';
    first.filter.account = ['Initech'];
    const again = parseDataTables({ ...TABLE, draw: '4', status: 'open' });
    expect(again.draw).toBe(4);
    expect(again.filter).toEqual({ status: ['open'], q: 'printer' });
    // The lists may be shared between requests: nobody can change them.
    expect(() => again.filter.status!.push('closed')).toThrow(TypeError);
  });

  it('should refuse a bad filter every time it is asked, naming it', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => parseDataTables({ ...TABLE, status: 'lost' })).toThrow(BadRequestException);
      expect(() => parseDataTables({ ...TABLE, status: 'lost' })).toThrow(/status/);
    }
    expect(() => parseDataTables({ ...TABLE, colour: 'red' })).toThrow(/unknown parameter/);
    expect(() => parseDataTables({ ...TABLE, length: '501' })).toThrow(/length/);
  });

  it('should tell apart filters that differ only in a value', () => {
    expect(parseDataTables({ ...TABLE, severity: 'urgent' }).filter.severity).toEqual(['urgent']);
    expect(parseDataTables({ ...TABLE, severity: 'low' }).filter.severity).toEqual(['low']);
    expect(parseDataTables({ ...TABLE, open: 'true' }).filter.open).toBe(true);
    expect(parseDataTables({ ...TABLE, open: 'false' }).filter.open).toBe(false);
  });
});
