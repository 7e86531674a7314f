import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

type ConnectionOption = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/**
 * The real @clickhouse/client over chDB's in-process ClickHouse engine. chDB types its
 * Connection against @clickhouse/client-common, a sibling copy of the same interface; the cast
 * bridges the two declarations only.
 */
export function chdbClient(path: string): ClickHouseClient {
  return createClient({ connection: createChdbConnection({ path }) as unknown as ConnectionOption });
}
