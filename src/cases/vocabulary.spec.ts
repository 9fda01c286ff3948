import { CASE_STATUSES, SEVERITIES, type CaseStatus, type Severity } from './case.model.js';
import {
  DEFAULT_BUGZILLA_SEVERITY,
  DEFAULT_BUGZILLA_STATUS,
  DEFAULT_GLPI_PRIORITY,
  DEFAULT_GLPI_STATUS,
  DEFAULT_JIRA_PRIORITY,
  DEFAULT_JIRA_STATUS,
  SEVERITY_FALLBACK,
  STATUS_FALLBACK,
  VocabularyMapper,
  mergeVocabulary,
  parseVocabularyMap,
  type UnknownValue,
} from './vocabulary.js';

function aMapper<T extends string>(
  table: Record<string, T>,
  fallback: T,
  overrides: Partial<{ source: UnknownValue['source']; field: UnknownValue['field'] }> = {},
) {
  const unknowns: UnknownValue[] = [];
  const mapper = new VocabularyMapper(
    overrides.source ?? 'glpi',
    overrides.field ?? 'status',
    mergeVocabulary(table, {}),
    fallback,
    (u) => unknowns.push(u),
  );
  return { mapper, unknowns };
}

describe(parseVocabularyMap.name, () => {
  it('should parse raw:value pairs', () => {
    expect(parseVocabularyMap('7:pending,8:closed', CASE_STATUSES)).toEqual({
      map: { '7': 'pending', '8': 'closed' },
    });
  });

  it('should lower-case raw keys and trim around entries', () => {
    expect(parseVocabularyMap(' Waiting for customer : pending , ', CASE_STATUSES)).toEqual({
      map: { 'waiting for customer': 'pending' },
    });
  });

  it('should split on the last colon so a raw value may contain colons', () => {
    expect(parseVocabularyMap('P1: Blocker:urgent', SEVERITIES)).toEqual({
      map: { 'p1: blocker': 'urgent' },
    });
  });

  it('should return an empty map for empty text', () => {
    expect(parseVocabularyMap('', CASE_STATUSES)).toEqual({ map: {} });
  });

  it('should reject a value outside the allowed vocabulary', () => {
    const result = parseVocabularyMap('7:waiting', CASE_STATUSES);
    expect(result).toEqual({ error: expect.stringContaining('"waiting"') as unknown });
    expect('error' in result && result.error).toContain('new, open, pending, solved, closed');
  });

  it('should reject an entry that is not raw:value', () => {
    for (const text of ['7', ':open', '7:', 'open,8']) {
      expect(parseVocabularyMap(text, CASE_STATUSES)).toHaveProperty('error');
    }
    expect(parseVocabularyMap('7:open,8', CASE_STATUSES)).toEqual({
      error: '"8" is not raw:value',
    });
  });
});

describe(mergeVocabulary.name, () => {
  it('should let overrides replace and extend the defaults, whatever the key case', () => {
    const merged = mergeVocabulary<CaseStatus>(
      { New: 'new', Open: 'open' },
      { open: 'pending', blocked: 'pending' },
    );
    expect(merged).toEqual({ new: 'new', open: 'pending', blocked: 'pending' });
  });

  it('should not modify its inputs', () => {
    const defaults: Record<string, Severity> = { high: 'high' };
    mergeVocabulary(defaults, { high: 'urgent' });
    expect(defaults).toEqual({ high: 'high' });
  });
});

describe(VocabularyMapper.name, () => {
  it('should map case-insensitively', () => {
    const { mapper, unknowns } = aMapper<CaseStatus>({ done: 'closed' }, 'open');
    expect(mapper.map('DONE')).toBe('closed');
    expect(unknowns).toEqual([]);
  });

  it('should let the first candidate found in the table win', () => {
    const { mapper, unknowns } = aMapper<CaseStatus>(
      { 'in review': 'pending', indeterminate: 'open' },
      'new',
    );
    expect(mapper.map('In Review', 'indeterminate')).toBe('pending');
    expect(mapper.map('Doing', 'indeterminate')).toBe('open');
    expect(mapper.map(undefined, null, 'indeterminate')).toBe('open');
    expect(unknowns).toEqual([]);
  });

  it('should fall back and report the first non-empty raw value when nothing matches', () => {
    const { mapper, unknowns } = aMapper<CaseStatus>({ done: 'closed' }, 'open', {
      source: 'jira',
      field: 'status',
    });
    expect(mapper.map(null, '', 'Triage', 'weird')).toBe('open');
    expect(unknowns).toEqual([{ source: 'jira', field: 'status', raw: 'Triage' }]);
  });

  it('should report "(empty)" when there is no raw value at all', () => {
    const { mapper, unknowns } = aMapper<Severity>({ high: 'high' }, 'normal', {
      source: 'bugzilla',
      field: 'severity',
    });
    expect(mapper.map(null, undefined)).toBe('normal');
    expect(mapper.map()).toBe('normal');
    expect(unknowns).toEqual([
      { source: 'bugzilla', field: 'severity', raw: '(empty)' },
      { source: 'bugzilla', field: 'severity', raw: '(empty)' },
    ]);
  });

  it('should report every unknown occurrence', () => {
    const { mapper, unknowns } = aMapper<Severity>({}, 'normal');
    mapper.map('7');
    mapper.map('7');
    expect(unknowns).toHaveLength(2);
  });
});

describe('default vocabularies', () => {
  function expectTable<T extends string>(
    table: Record<string, T>,
    fallback: T,
    contract: [string, T][],
  ) {
    const { mapper, unknowns } = aMapper(table, fallback);
    for (const [raw, expected] of contract) {
      expect([raw, mapper.map(raw)]).toEqual([raw, expected]);
    }
    expect(unknowns).toEqual([]);
  }

  it('should use open as the status fallback and normal as the severity fallback', () => {
    expect(STATUS_FALLBACK).toBe('open');
    expect(SEVERITY_FALLBACK).toBe('normal');
  });

  it('should map GLPI statuses', () => {
    expectTable(DEFAULT_GLPI_STATUS, STATUS_FALLBACK, [
      ['1', 'new'],
      ['2', 'open'],
      ['3', 'open'],
      ['4', 'pending'],
      ['5', 'solved'],
      ['6', 'closed'],
    ]);
  });

  it('should map GLPI priorities', () => {
    expectTable(DEFAULT_GLPI_PRIORITY, SEVERITY_FALLBACK, [
      ['6', 'urgent'],
      ['5', 'urgent'],
      ['4', 'high'],
      ['3', 'normal'],
      ['2', 'low'],
      ['1', 'low'],
    ]);
  });

  it('should map JIRA status categories', () => {
    expectTable(DEFAULT_JIRA_STATUS, STATUS_FALLBACK, [
      ['new', 'new'],
      ['indeterminate', 'open'],
      ['done', 'closed'],
    ]);
  });

  it('should map JIRA priorities by name', () => {
    expectTable(DEFAULT_JIRA_PRIORITY, SEVERITY_FALLBACK, [
      ['Highest', 'urgent'],
      ['Blocker', 'urgent'],
      ['Critical', 'urgent'],
      ['High', 'high'],
      ['Major', 'high'],
      ['Medium', 'normal'],
      ['Normal', 'normal'],
      ['Low', 'low'],
      ['Lowest', 'low'],
      ['Minor', 'low'],
      ['Trivial', 'low'],
    ]);
  });

  it('should map Bugzilla statuses', () => {
    expectTable(DEFAULT_BUGZILLA_STATUS, STATUS_FALLBACK, [
      ['UNCONFIRMED', 'new'],
      ['NEW', 'new'],
      ['CONFIRMED', 'open'],
      ['ASSIGNED', 'open'],
      ['IN_PROGRESS', 'open'],
      ['REOPENED', 'open'],
      ['RESOLVED', 'solved'],
      ['VERIFIED', 'solved'],
      ['CLOSED', 'closed'],
    ]);
  });

  it('should map Bugzilla severities', () => {
    expectTable(DEFAULT_BUGZILLA_SEVERITY, SEVERITY_FALLBACK, [
      ['blocker', 'urgent'],
      ['critical', 'urgent'],
      ['major', 'high'],
      ['normal', 'normal'],
      ['minor', 'low'],
      ['trivial', 'low'],
      ['enhancement', 'low'],
    ]);
  });

  it('should map nothing beyond the documented raw values', () => {
    expect(Object.keys(DEFAULT_GLPI_STATUS)).toHaveLength(6);
    expect(Object.keys(DEFAULT_GLPI_PRIORITY)).toHaveLength(6);
    expect(Object.keys(DEFAULT_JIRA_STATUS)).toHaveLength(3);
    expect(Object.keys(DEFAULT_JIRA_PRIORITY)).toHaveLength(11);
    expect(Object.keys(DEFAULT_BUGZILLA_STATUS)).toHaveLength(9);
    expect(Object.keys(DEFAULT_BUGZILLA_SEVERITY)).toHaveLength(7);
  });
});
