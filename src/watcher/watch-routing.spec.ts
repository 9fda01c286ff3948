import { destinationsFor, parseRouteMap } from './watch-routing.js';

const email = (v: string) => /^[^\s@]+@[^\s@]+$/.test(v);

describe('watch routing', () => {
  it('should parse rule, severity and default keys, merging repeated keys', () => {
    expect(
      parseRouteMap(
        'default:team@x.test, urgent:oncall@x.test;lead@x.test ,sync-failed:ops@x.test,URGENT:oncall@x.test;boss@x.test',
        'address',
        email,
      ),
    ).toEqual({
      map: {
        default: ['team@x.test'],
        urgent: ['oncall@x.test', 'lead@x.test', 'boss@x.test'],
        'sync-failed': ['ops@x.test'],
      },
    });
    expect(parseRouteMap('', 'address', email)).toEqual({ map: {} });
  });

  it('should name the bad entry', () => {
    expect(parseRouteMap('critical:a@x.test', 'address', email)).toEqual({
      error:
        '"critical:a@x.test" is not key:address[;address] with key one of default, urgent, high, normal, low, new-case, sla, stale, sync-failed',
    });
    expect(parseRouteMap('default:nobody', 'address', email)).toEqual({
      error: '"nobody" is not a valid address',
    });
    expect(parseRouteMap('default', 'address', email)).toHaveProperty('error');
  });

  it('should send a finding to its rule and severity destinations, else to default', () => {
    const map = {
      default: ['team@x.test'],
      urgent: ['oncall@x.test'],
      'sync-failed': ['ops@x.test'],
      sla: ['oncall@x.test', 'lead@x.test'],
    };
    expect(destinationsFor(map, 'new-case', 'urgent')).toEqual(['oncall@x.test']);
    expect(destinationsFor(map, 'sla', 'urgent')).toEqual(['oncall@x.test', 'lead@x.test']);
    expect(destinationsFor(map, 'stale', 'normal')).toEqual(['team@x.test']);
    expect(destinationsFor(map, 'sync-failed', null)).toEqual(['ops@x.test']);
    expect(destinationsFor({}, 'stale', 'low')).toEqual([]);
  });
});
