/** Filter routes for the dashboard: `GET /api/v1/query?q=` (validation as you type) and `/api/v1/query/fields`. */
import type { QueryCheck } from '../model/index.js';
import { checkFilter, QUERY_FIELDS } from '../query/index.js';
import type { ApiServer } from './http-server.js';

export function registerQueryRoutes(server: ApiServer): void {
  server.get('/api/v1/query', (url) => {
    const body: QueryCheck = checkFilter(url.searchParams.get('q') ?? '');
    return { body };
  });
  server.get('/api/v1/query/fields', () => ({ body: { fields: QUERY_FIELDS } }));
}
