// The database part every CLI's main shares: open the configured database (DATABASE_URL or the
// embedded PGlite), run the work, turn an error into one line "error: ..." and exit code 1, and
// always close the database so the process can exit.
import type { Db } from "@/server/db/client";
import { openDatabase } from "@/server/db/migrated";
import { errorText } from "@/server/ingest/errors";

export async function withDatabase(work: (db: Db) => Promise<number>): Promise<number> {
  const handle = await openDatabase();
  try {
    return await work(handle.db);
  } catch (e) {
    process.stderr.write(`error: ${errorText(e)}\n`);
    return 1;
  } finally {
    await handle.close();
  }
}
