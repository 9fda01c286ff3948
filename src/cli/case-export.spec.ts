import { CASE_FIELDS, type SupportCase } from '../cases/case.model.js';
import { CaseExportWriter, type ExportFormat } from './case-export.js';

function aCase(overrides: Partial<SupportCase> = {}): SupportCase {
  return {
    id: 'jira:OPS-7',
    source: 'jira',
    key: 'OPS-7',
    url: 'https://jira.example.com/browse/OPS-7',
    title: 'Checkout fails',
    status: 'open',
    statusRaw: 'In Progress',
    severity: 'high',
    severityRaw: 'High',
    assignee: 'Alice Adams',
    requester: null,
    account: 'ACME',
    product: 'Shop',
    component: null,
    createdAt: '2025-03-01T08:03:10.123Z',
    updatedAt: '2025-03-02T09:00:00.000Z',
    resolvedAt: null,
    closedAt: null,
    links: [
      { source: 'bugzilla', key: '12' },
      { source: 'glpi', key: '5' },
    ],
    labels: ['customer', 'p1'],
    ...overrides,
  };
}

/** Runs a whole export, feeding the cases in batches as the command does. */
function exportCases(format: ExportFormat, batches: SupportCase[][]) {
  const chunks: string[] = [];
  const writer = new CaseExportWriter(format, (chunk) => chunks.push(chunk));
  writer.begin();
  for (const batch of batches) writer.add(batch);
  const count = writer.end();
  return { text: chunks.join(''), count };
}

const HEADER =
  'id,source,key,url,title,status,statusRaw,severity,severityRaw,assignee,requester,account,' +
  'product,component,createdAt,updatedAt,resolvedAt,closedAt,links,labels';

describe(CaseExportWriter.name, () => {
  const first = aCase();
  const second = aCase({ id: 'glpi:5', source: 'glpi', key: '5', title: 'Printer', links: [] });

  describe('json', () => {
    it('should write one parseable array of exactly the given cases', () => {
      const { text, count } = exportCases('json', [[first], [second]]);
      expect(count).toBe(2);
      expect(JSON.parse(text)).toEqual([first, second]);
    });

    it('should write each case with the fields in model order', () => {
      const { text } = exportCases('json', [[first, second]]);
      for (const item of JSON.parse(text) as object[]) {
        expect(Object.keys(item)).toEqual([...CASE_FIELDS]);
      }
    });

    it('should write an empty array when there are no cases', () => {
      const { text, count } = exportCases('json', [[]]);
      expect(count).toBe(0);
      expect(JSON.parse(text)).toEqual([]);
    });
  });

  describe('ndjson', () => {
    it('should write one case per line', () => {
      const { text, count } = exportCases('ndjson', [[first], [second]]);
      expect(count).toBe(2);
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([first, second]);
      expect(Object.keys(JSON.parse(lines[0]) as object)).toEqual([...CASE_FIELDS]);
    });

    it('should write nothing when there are no cases', () => {
      expect(exportCases('ndjson', []).text).toBe('');
    });
  });

  describe('csv', () => {
    it('should write a header of the case fields and one row per case', () => {
      const { text, count } = exportCases('csv', [[first]]);
      expect(count).toBe(1);
      expect(text).toBe(
        `${HEADER}\n` +
          'jira:OPS-7,jira,OPS-7,https://jira.example.com/browse/OPS-7,Checkout fails,open,' +
          'In Progress,high,High,Alice Adams,,ACME,Shop,,2025-03-01T08:03:10.123Z,' +
          '2025-03-02T09:00:00.000Z,,,bugzilla:12;glpi:5,customer;p1\n',
      );
    });

    it('should write only the header when there are no cases', () => {
      expect(exportCases('csv', []).text).toBe(`${HEADER}\n`);
    });

    /** The title cell as written: between the four cells before it and the status after it. */
    const titleCell = (title: string) => {
      const row = exportCases('csv', [[aCase({ title })]]).text.slice(HEADER.length + 1);
      const before = 'jira:OPS-7,jira,OPS-7,https://jira.example.com/browse/OPS-7,';
      expect(row.startsWith(before)).toBe(true);
      return row.slice(before.length, row.lastIndexOf(',open,In Progress,'));
    };

    it('should quote cells with commas, quotes or line breaks and double inner quotes', () => {
      expect(titleCell('Printer, big')).toBe('"Printer, big"');
      expect(titleCell('The "big" one')).toBe('"The ""big"" one"');
      expect(titleCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    });

    it('should defuse cells a spreadsheet would run as formulas', () => {
      expect(titleCell('=cmd|"/c calc"!A1')).toBe(`"'=cmd|""/c calc""!A1"`);
      expect(titleCell('=cmd')).toBe("'=cmd");
      expect(titleCell('+1')).toBe("'+1");
      expect(titleCell('-1')).toBe("'-1");
      expect(titleCell('@SUM(A1)')).toBe("'@SUM(A1)");
      expect(titleCell('\tx')).toBe("'\tx");
    });

    it('should leave harmless text alone', () => {
      expect(titleCell('a=b')).toBe('a=b');
      expect(titleCell("it's fine")).toBe("it's fine");
    });

    it('should defuse a formula at the start of a list', () => {
      const row = exportCases('csv', [[aCase({ labels: ['=x', 'y'] })]]).text.split('\n')[1];
      expect(row.endsWith(",'=x;y")).toBe(true);
    });
  });
});
