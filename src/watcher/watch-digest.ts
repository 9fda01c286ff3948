import type { WatchRule } from './watch-routing.js';
import { WATCH_RULES } from './watch-routing.js';
import type { Finding } from './watch-rules.js';

export const RULE_TITLES: Record<WatchRule, string> = {
  'new-case': 'New cases',
  sla: 'SLA breached or due soon',
  stale: 'Stale cases',
  'sync-failed': 'Sync problems',
};

const RULE_WORDS: Record<WatchRule, [string, string]> = {
  'new-case': ['new case', 'new cases'],
  sla: ['SLA', 'SLA'],
  stale: ['stale', 'stale'],
  'sync-failed': ['sync problem', 'sync problems'],
};

/** Slack shows at most this many lines per rule; the mail has them all. */
export const SLACK_LINES_PER_RULE = 25;

function byRule(findings: Finding[]): [WatchRule, Finding[]][] {
  return WATCH_RULES.map((rule) => [rule, findings.filter((f) => f.rule === rule)] as const)
    .filter(([, list]) => list.length > 0)
    .map(([rule, list]) => [rule, list]);
}

/** e.g. "[Caseboard] 3 alerts: 1 new case, 2 SLA". */
export function digestSubject(findings: Finding[]): string {
  const parts = byRule(findings).map(
    ([rule, list]) => `${list.length} ${RULE_WORDS[rule][list.length === 1 ? 0 : 1]}`,
  );
  const n = findings.length;
  return `[Caseboard] ${n} alert${n === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** One case line: "[urgent] jira:SUP-12 Printer on fire · Acme · Ann Lee". */
function caseLine(f: Finding): string {
  const c = f.case!;
  const who = [c.account ?? 'no account', c.assignee ?? 'unassigned'].join(' · ');
  return `[${c.severity}] ${c.id} ${oneLine(c.title)} · ${who}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The plain-text digest (email body, dry-run output). */
export function digestText(findings: Finding[], generatedAt: Date): string {
  const lines = [`${digestSubject(findings)}`, `Generated ${generatedAt.toISOString()}`, ''];
  for (const [rule, list] of byRule(findings)) {
    lines.push(`${RULE_TITLES[rule]} (${list.length})`);
    for (const f of list) {
      if (f.case) {
        lines.push(`  ${caseLine(f)}`, `    ${f.detail}`, `    ${f.case.url}`);
      } else {
        lines.push(`  ${oneLine(f.detail)}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Slack escapes only these three; everything else in mrkdwn is literal enough. */
const slackEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const HTTP_URL = /^https?:\/\/[^\s|<>]+$/i;

/** The Slack message text (mrkdwn), capped per rule. */
export function digestSlack(findings: Finding[]): string {
  const lines = [`*${slackEscape(digestSubject(findings))}*`];
  for (const [rule, list] of byRule(findings)) {
    lines.push('', `*${RULE_TITLES[rule]}* (${list.length})`);
    for (const f of list.slice(0, SLACK_LINES_PER_RULE)) {
      if (f.case) {
        const id = HTTP_URL.test(f.case.url)
          ? `<${f.case.url}|${slackEscape(f.case.id)}>`
          : slackEscape(f.case.id);
        const c = f.case;
        lines.push(
          `• [${c.severity}] ${id} ${slackEscape(oneLine(c.title))} · ${slackEscape(c.account ?? 'no account')} · ${slackEscape(c.assignee ?? 'unassigned')}: ${slackEscape(f.detail)}`,
        );
      } else {
        lines.push(`• ${slackEscape(oneLine(f.detail))}`);
      }
    }
    if (list.length > SLACK_LINES_PER_RULE)
      lines.push(`…and ${list.length - SLACK_LINES_PER_RULE} more (see the mail digest)`);
  }
  return lines.join('\n');
}
