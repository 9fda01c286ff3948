import type { WeeklyCase, WeeklyReport } from './weekly-report.js';

/** A comment shown in a report: one line, at most this many characters. */
export const COMMENT_CHARS = 300;

const day = (iso: string) => iso.slice(0, 10);
const instant = (iso: string) => iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC');
const accountName = (a: string | null) => a ?? '(no account)';

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > COMMENT_CHARS ? `${line.slice(0, COMMENT_CHARS - 1)}…` : line;
}

const HTTP_URL = /^https?:\/\//i;

/** The last comment as one plain line: "Ann Lee, 2026-11-20: text", or why there is none. */
export function commentLine(c: WeeklyCase): string {
  if (c.commentState === 'unavailable') return 'last comment unavailable';
  if (!c.lastComment) return 'no comments';
  const who = c.lastComment.author ? `${c.lastComment.author}, ` : '';
  return `${who}${day(c.lastComment.at)}: ${clip(c.lastComment.text)}`;
}

// ---- Markdown --------------------------------------------------------------------------------

/** Backslash-escapes what Markdown (and mail clients that render it) would interpret. */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, '\\$&');
}

const mdLink = (label: string, url: string | null) =>
  url && HTTP_URL.test(url)
    ? `[${mdEscape(label)}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`
    : mdEscape(label);

function mdComment(c: WeeklyCase): string {
  if (c.commentState === 'unavailable') return '_last comment unavailable_';
  if (!c.lastComment) return '_no comments_';
  const who = c.lastComment.author ? `${mdEscape(c.lastComment.author)}, ` : '';
  return `${who}${day(c.lastComment.at)}: ${mdEscape(clip(c.lastComment.text))}`;
}

export function renderWeeklyMarkdown(report: WeeklyReport): string {
  const out = [
    `# Weekly report: ${day(report.since)} to ${day(report.until)}`,
    '',
    `${report.total} case${report.total === 1 ? '' : 's'} updated since ${instant(report.since)}.`,
  ];
  for (const account of report.accounts) {
    out.push('', `## ${mdEscape(accountName(account.account))} (${account.count})`);
    for (const group of account.statuses) {
      out.push('', `### ${group.status} (${group.cases.length})`, '');
      for (const c of group.cases) {
        const links = c.links.length
          ? ` · links: ${c.links.map((l) => mdLink(l.id, l.url)).join(', ')}`
          : '';
        out.push(
          `- **${c.severity}** ${mdLink(c.id, c.url)} ${mdEscape(c.title)} · ${mdEscape(c.assignee ?? 'unassigned')}${links}`,
          `  - ${mdComment(c)}`,
        );
      }
    }
  }
  return out.join('\n') + '\n';
}

// ---- HTML ------------------------------------------------------------------------------------

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const htmlLink = (label: string, url: string | null) =>
  url && HTTP_URL.test(url)
    ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`
    : escapeHtml(label);

function htmlComment(c: WeeklyCase): string {
  if (c.commentState === 'unavailable') return '<em>last comment unavailable</em>';
  if (!c.lastComment) return '<em>no comments</em>';
  const who = c.lastComment.author ? `${escapeHtml(c.lastComment.author)}, ` : '';
  return `${who}${day(c.lastComment.at)}: ${escapeHtml(clip(c.lastComment.text))}`;
}

/** The report's body: nested lists, no scripts, no classes a mail client would drop. */
export function renderWeeklyHtmlFragment(report: WeeklyReport): string {
  const out = [
    `<p>${report.total} case${report.total === 1 ? '' : 's'} updated since ${escapeHtml(instant(report.since))}.</p>`,
  ];
  for (const account of report.accounts) {
    out.push(`<h2>${escapeHtml(accountName(account.account))} (${account.count})</h2>`);
    for (const group of account.statuses) {
      out.push(`<h3>${escapeHtml(group.status)} (${group.cases.length})</h3>`, '<ul>');
      for (const c of group.cases) {
        const links = c.links.length
          ? ` · links: ${c.links.map((l) => htmlLink(l.id, l.url)).join(', ')}`
          : '';
        out.push(
          `<li><strong>${escapeHtml(c.severity)}</strong> ${htmlLink(c.id, c.url)} ${escapeHtml(c.title)} · ${escapeHtml(c.assignee ?? 'unassigned')}${links}` +
            `<ul><li>${htmlComment(c)}</li></ul></li>`,
        );
      }
      out.push('</ul>');
    }
  }
  return out.join('\n') + '\n';
}

/** A self-contained HTML document (inline style only), for pasting into a mail. */
export function renderWeeklyHtml(report: WeeklyReport): string {
  const title = `Weekly report: ${day(report.since)} to ${day(report.until)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;font-size:14px;line-height:1.4;margin:1.5em}h2{margin-top:1.2em;border-bottom:1px solid #ccc}h3{margin:.6em 0 .2em;text-transform:capitalize}ul ul{color:#555}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${renderWeeklyHtmlFragment(report)}</body>
</html>
`;
}
