import { createClient, type ClickHouseClient } from '@clickhouse/client';

// chDB (ClickHouse in-process, ~550 MB) is not a dependency of the project: `npm install` for a
// user stays small. CI installs it (`.ci/run`: npm install --no-save chdb) and sets
// SREWORKS_REQUIRE_CLICKHOUSE=1, which turns a missing chDB into a failure instead of a skip.
type ChdbConnection = { createChdbConnection(opts: { path: string }): unknown };

async function load(): Promise<ChdbConnection | undefined> {
  const name = 'chdb/connection'; // a variable: typecheck must not require the optional package
  try {
    return (await import(name)) as ChdbConnection;
  } catch (e) {
    if (process.env.SREWORKS_REQUIRE_CLICKHOUSE === '1') throw new Error(`chdb is required (SREWORKS_REQUIRE_CLICKHOUSE=1) but cannot be loaded: ${(e as Error).message}`);
    return undefined;
  }
}

/** The chdb connection module, or undefined when it is not installed (tests skip with a reason). */
export const chdb = await load();
export const CHDB_MISSING = 'chdb is not installed (npm install --no-save chdb@3.4; CI installs it)';

type ConnectionOption = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/**
 * The real @clickhouse/client over chDB's in-process ClickHouse engine. chDB types its
 * Connection against @clickhouse/client-common, a sibling copy of the same interface; the cast
 * bridges the two declarations only.
 */
export function chdbClient(path: string): ClickHouseClient {
  if (!chdb) throw new Error(CHDB_MISSING);
  return createClient({ connection: chdb.createChdbConnection({ path }) as unknown as ConnectionOption });
}
