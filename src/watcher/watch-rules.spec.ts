import { aCase } from '../query/case-fixture.js';
import type { SyncStatus } from '../store/sync-status.js';
import { caseFindings, evaluate, syncFinding, type WatchThresholds } from './watch-rules.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const T: WatchThresholds = {
  minSeverity: 'high',
  newHours: 24,
  slaWarnHours: 24,
  staleDays: 7,
  syncStaleMinutes: 60,
  slaDays: { urgent: 1, high: 3, normal: 7, low: 14 },
};

function aStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    source: 'glpi',
    lastRunAt: '2026-03-10T11:55:00.000Z',
    lastSuccessAt: '2026-03-10T11:55:00.000Z',
    lastErrorAt: null,
    lastError: null,
    consecutiveFailures: 0,
    lastSummary: null,
    cursor: null,
    ...overrides,
  };
}

const rules = (c: ReturnType<typeof aCase>) => caseFindings(c, NOW, T).map((f) => f.rule);

describe('watch rules', () => {
  describe('new-case', () => {
    // Created 2 h ago, updated just now: only new-case can fire (SLA due in 22 h+ for high).
    const fresh = { createdAt: '2026-03-10T10:00:00.000Z', updatedAt: '2026-03-10T11:00:00.000Z' };

    it('should report a case created within WATCH_NEW_HOURS at or above the severity', () => {
      expect(rules(aCase({ ...fresh, severity: 'high' }))).toEqual(['new-case']);
      expect(rules(aCase({ ...fresh, severity: 'normal' }))).toEqual([]);
      // urgent: due 2026-03-11T10:00, 22 h away, within the 24 h warning
      expect(rules(aCase({ ...fresh, severity: 'urgent' }))).toEqual(['new-case', 'sla']);
    });

    it('should not report a case older than the window or already solved', () => {
      expect(
        rules(
          aCase({
            severity: 'high',
            createdAt: '2026-03-09T11:59:00.000Z',
            updatedAt: fresh.updatedAt,
          }),
        ),
      ).toEqual([]);
      expect(rules(aCase({ ...fresh, severity: 'urgent', status: 'solved' }))).toEqual([]);
    });

    it('should fingerprint by severity, so an escalation notifies again', () => {
      const [high] = caseFindings(aCase({ ...fresh, severity: 'high' }), NOW, T);
      expect(high.fingerprint).toBe('high');
      expect(high.detail).toBe('new high case, opened 2026-03-10 10:00 UTC');
    });
  });

  describe('sla', () => {
    it('should report a breached case with how late it is', () => {
      // normal: 7 days from 2026-03-01T00:00 → due 2026-03-08T00:00, 60 h ago
      const [f] = caseFindings(
        aCase({ createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-09T00:00:00.000Z' }),
        NOW,
        T,
      );
      expect(f.rule).toBe('sla');
      expect(f.fingerprint).toBe('breached|2026-03-08T00:00:00.000Z');
      expect(f.detail).toBe('SLA breached 2 d ago (due 2026-03-08 00:00 UTC)');
    });

    it('should report a case due within WATCH_SLA_WARN_HOURS, and not one due later', () => {
      // due 2026-03-11T06:00: 18 h away
      const near = aCase({
        createdAt: '2026-03-04T06:00:00.000Z',
        updatedAt: '2026-03-10T00:00:00.000Z',
      });
      expect(caseFindings(near, NOW, T).map((f) => [f.fingerprint, f.detail])).toEqual([
        ['near|2026-03-11T06:00:00.000Z', 'SLA due in 18 h (2026-03-11 06:00 UTC)'],
      ]);
      // due 2026-03-11T13:00: 25 h away
      const later = aCase({
        createdAt: '2026-03-04T13:00:00.000Z',
        updatedAt: '2026-03-10T00:00:00.000Z',
      });
      expect(caseFindings(later, NOW, T)).toEqual([]);
    });

    it("should use the upstream's own due date when the case has one", () => {
      const c = {
        ...aCase({ createdAt: '2026-03-09T00:00:00.000Z', updatedAt: '2026-03-10T00:00:00.000Z' }),
        dueAt: '2026-03-10T11:00:00.000Z',
      };
      expect(caseFindings(c, NOW, T).map((f) => f.fingerprint)).toEqual([
        'breached|2026-03-10T11:00:00.000Z',
      ]);
    });
  });

  describe('stale', () => {
    it('should report an open case not updated for WATCH_STALE_DAYS, fingerprinted by updatedAt', () => {
      const c = aCase({
        severity: 'low',
        createdAt: '2026-03-01T00:00:00.000Z', // low: due 2026-03-15, 4.5 days away
        updatedAt: '2026-03-03T11:00:00.000Z',
      });
      const found = caseFindings(c, NOW, T);
      expect(found.map((f) => [f.rule, f.fingerprint, f.detail])).toEqual([
        ['stale', '2026-03-03T11:00:00.000Z', 'no update for 7 days (since 2026-03-03 11:00 UTC)'],
      ]);
      expect(rules({ ...c, updatedAt: '2026-03-03T12:00:01.000Z' })).toEqual([]);
    });
  });

  describe('sync-failed', () => {
    it('should be quiet for a healthy source and for one that never ran', () => {
      expect(syncFinding(aStatus(), NOW, T)).toBeNull();
      expect(syncFinding(aStatus({ lastRunAt: null, lastSuccessAt: null }), NOW, T)).toBeNull();
    });

    it('should report failed runs with the last error, one notice per last success', () => {
      const f = syncFinding(
        aStatus({
          consecutiveFailures: 2,
          lastErrorAt: '2026-03-10T11:58:00.000Z',
          lastError: 'GET /apirest.php/search/Ticket answered 503',
        }),
        NOW,
        T,
      );
      expect(f).toMatchObject({
        rule: 'sync-failed',
        subject: 'sync-glpi',
        fingerprint: '2026-03-10T11:55:00.000Z',
        severity: null,
        detail:
          'glpi sync: 2 failed runs in a row, last success 2026-03-10 11:55 UTC; last error: GET /apirest.php/search/Ticket answered 503',
      });
    });

    it('should report a source without a success for WATCH_SYNC_STALE_MINUTES', () => {
      const late = aStatus({ lastSuccessAt: '2026-03-10T10:59:59.000Z' });
      expect(syncFinding(late, NOW, T)?.detail).toBe(
        'glpi sync: no successful sync for 60 min, last success 2026-03-10 10:59 UTC',
      );
      expect(
        syncFinding(aStatus({ lastSuccessAt: '2026-03-10T11:00:00.000Z' }), NOW, T),
      ).toBeNull();
      expect(syncFinding(aStatus({ lastSuccessAt: null }), NOW, T)?.fingerprint).toBe('never');
    });
  });

  it('should order findings by rule, then severity, then subject', () => {
    const fresh = { createdAt: '2026-03-10T10:00:00.000Z', updatedAt: '2026-03-10T11:00:00.000Z' };
    const found = evaluate(
      [
        aCase({ ...fresh, key: 'SUP-10', severity: 'high' }),
        aCase({ ...fresh, key: 'SUP-9', severity: 'high' }),
        aCase({ ...fresh, key: 'SUP-11', severity: 'urgent' }),
        aCase({
          key: 'SUP-2',
          severity: 'low',
          createdAt: '2026-03-01T00:00:00.000Z',
          updatedAt: '2026-03-01T00:00:00.000Z',
        }),
      ],
      [aStatus({ source: 'jira', consecutiveFailures: 1 })],
      NOW,
      T,
    );
    expect(found.map((f) => `${f.rule} ${f.subject}`)).toEqual([
      'new-case jira:SUP-11',
      'new-case jira:SUP-9',
      'new-case jira:SUP-10',
      'sla jira:SUP-11',
      'stale jira:SUP-2',
      'sync-failed sync-jira',
    ]);
  });
});
