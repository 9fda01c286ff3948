/** What bench/web loads, as plain data: a load runs in a process of its own (load-child.ts). */
export interface WebPath {
  kind: 'health' | 'me' | 'table';
  base: string;
  token?: string;
}

const statuses = ['open', 'new', 'pending'];
const severities = ['urgent,high', 'normal', 'low,normal'];

/**
 * The i-th request of a path. The table's are six views (status, severity, sort column and
 * direction), each paged through its first 20 pages: after its first pages, a view's pages
 * come from the view cache.
 */
export function requestsOf(path: WebPath): {
  url: (i: number) => string;
  headers?: Record<string, string>;
} {
  const headers = path.token ? { Authorization: `Bearer ${path.token}` } : undefined;
  switch (path.kind) {
    case 'health':
      return { url: () => `${path.base}/health/live` };
    case 'me':
      return { url: () => `${path.base}/api/v1/me`, headers };
    case 'table':
      return {
        url: (i) => {
          const params = new URLSearchParams({
            draw: String(i),
            start: String((i % 20) * 50),
            length: '50',
            'order[0][column]': '0',
            'order[0][dir]': i % 2 ? 'desc' : 'asc',
            'columns[0][data]': i % 3 ? 'updatedAt' : 'severity',
            status: statuses[i % 3],
            severity: severities[(i >> 1) % 3],
          });
          return `${path.base}/api/v1/cases/datatable?${params.toString()}`;
        },
        headers,
      };
  }
}
