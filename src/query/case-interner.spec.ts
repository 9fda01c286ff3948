import { aCase } from './case-fixture.js';
import { CaseInterner } from './case-interner.js';

describe(CaseInterner.name, () => {
  it('should leave every value as it was, nulls and lists included', () => {
    const interner = new CaseInterner();
    const cases = [
      aCase({ key: 'SUP-1', labels: ['vip', 'billing'], links: [{ source: 'glpi', key: '7' }] }),
      aCase({ key: 'SUP-2', assignee: null, account: null, product: null, statusRaw: null }),
      aCase({ key: 'SUP-3', labels: ['vip'], links: [{ source: 'bugzilla', key: '9' }] }),
    ];
    const copies = structuredClone(cases);
    expect(cases.map((c) => interner.intern(c))).toEqual(copies);
  });

  it('should hand back the case it was given, rewritten in place', () => {
    const c = aCase();
    expect(new CaseInterner().intern(c)).toBe(c);
  });
});
