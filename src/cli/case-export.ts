import { CASE_FIELDS, type SupportCase } from '../cases/case.model.js';
import { serializeCase } from '../cases/case.model.js';

export type ExportFormat = 'json' | 'ndjson' | 'csv';

function csvText(value: SupportCase[keyof SupportCase]): string {
  if (value === null) return '';
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'string' ? v : `${v.source}:${v.key}`)).join(';');
  }
  return value;
}

function csvCell(value: SupportCase[keyof SupportCase]): string {
  let text = csvText(value);
  // A spreadsheet would run a cell starting with = + - @ as a formula (CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Streams cases in one of the export formats; `json` is one array of the case model. */
export class CaseExportWriter {
  private count = 0;

  constructor(
    private readonly format: ExportFormat,
    private readonly write: (chunk: string) => void,
  ) {}

  begin(): void {
    if (this.format === 'json') this.write('[');
    if (this.format === 'csv') this.write(CASE_FIELDS.join(',') + '\n');
  }

  add(cases: SupportCase[]): void {
    for (const c of cases) {
      if (this.format === 'csv') this.write(CASE_FIELDS.map((f) => csvCell(c[f])).join(',') + '\n');
      else if (this.format === 'ndjson') this.write(serializeCase(c) + '\n');
      else this.write((this.count > 0 ? ',\n' : '\n') + serializeCase(c));
      this.count++;
    }
  }

  end(): number {
    if (this.format === 'json') this.write(this.count > 0 ? '\n]\n' : ']\n');
    return this.count;
  }
}
