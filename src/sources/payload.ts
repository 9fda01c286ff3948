import type { z } from 'zod';
import type { Source } from '../cases/case.model.js';
import { UpstreamPayloadError } from './upstream.errors.js';

/** Validates an upstream payload at the edge; the error names the source, record and field. */
export function parsePayload<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: { source: Source; url?: string; record?: string },
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.');
  throw new UpstreamPayloadError(
    { source: where.source, url: where.url },
    issue.message,
    where.record,
    field || undefined,
  );
}

/** The id of a raw record, for error messages, before it is validated. */
export function rawId(raw: unknown, field: string): string {
  const value =
    raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '(unknown)';
}

export function firstOf(value: string | string[] | null | undefined): string | null {
  if (Array.isArray(value)) return value.find((v) => v !== '') ?? null;
  return value === undefined || value === '' ? null : value;
}
