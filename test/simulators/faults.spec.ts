import { FaultPlan } from './faults.js';

describe(FaultPlan.name, () => {
  const always = () => true;

  it('should fire a rule once by default and then forget it', () => {
    const plan = new FaultPlan();
    plan.add({ kind: 'status500' });
    expect(plan.pending).toBe(1);
    expect(plan.take('GET', '/x', always)?.kind).toBe('status500');
    expect(plan.take('GET', '/x', always)).toBeUndefined();
    expect(plan.pending).toBe(0);
  });

  it('should skip the first `after` matching requests and fire `times` times', () => {
    const plan = new FaultPlan();
    plan.add({ kind: 'reset', after: 2, times: 2 });
    const fired = Array.from({ length: 6 }, () => plan.take('GET', '/x', always)?.kind ?? null);
    expect(fired).toEqual([null, null, 'reset', 'reset', null, null]);
  });

  it('should match paths exactly or by RegExp, and methods case-insensitively', () => {
    const plan = new FaultPlan();
    plan.add({ kind: 'timeout', path: '/a', times: Infinity });
    plan.add({ kind: 'slow', path: /^\/rest\/bug/, method: 'get', times: Infinity });
    expect(plan.take('GET', '/a/b', always)).toBeUndefined();
    expect(plan.take('GET', '/a', always)?.kind).toBe('timeout');
    expect(plan.take('POST', '/rest/bug', always)).toBeUndefined();
    expect(plan.take('GET', '/rest/bug/1', always)?.kind).toBe('slow');
    expect(plan.pending).toBe(2);
  });

  it('should leave rules a simulator says do not apply untouched', () => {
    const plan = new FaultPlan();
    plan.add({ kind: 'change-between-pages' });
    expect(
      plan.take('GET', '/initSession', (kind) => kind !== 'change-between-pages'),
    ).toBeUndefined();
    expect(plan.take('GET', '/search/Ticket', always)?.kind).toBe('change-between-pages');
  });

  it('should reject unknown kinds and non-positive times', () => {
    const plan = new FaultPlan();
    expect(() => plan.add({ kind: 'boom' as never })).toThrow(/unknown fault kind/);
    expect(() => plan.add({ kind: 'reset', times: 0 })).toThrow(/times/);
  });
});
