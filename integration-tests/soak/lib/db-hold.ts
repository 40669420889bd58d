import { Client } from "pg"
import { dbSettings, sql } from "./medusa-process"
import { sleep } from "./reliability"

/**
 * Holding a step of a Medusa child process in PostgreSQL, for the crash suite: a step that makes
 * no request to CoinGate cannot be held by the simulator, but every step writes to the database.
 */

/**
 * Takes an EXCLUSIVE lock on `table` in a transaction of its own: plain reads go on, any insert,
 * update or delete (and SELECT ... FOR UPDATE) waits until `release()`.
 */
export async function holdWrites(database: string, table: string) {
  const client = new Client({ ...dbSettings(), database })
  await client.connect()
  await client.query("BEGIN")
  await client.query(`LOCK TABLE "${table}" IN EXCLUSIVE MODE`)
  const [{ pid }] = (await client.query("select pg_backend_pid() as pid")).rows
  return {
    /** The holding connection's backend id. */
    pid: pid as number,
    release: async () => {
      await client.query("ROLLBACK").catch(() => undefined)
      await client.end()
    },
  }
}

/**
 * Waits until a connection to `database` waits for a lock with an insert into `table`: the process
 * is inside that step. Returns the backend ids of every connection open at that moment but the
 * holder's (`except`): the process's own, since the test opens one per query and closes it.
 */
export async function waitForBlockedWrite(database: string, table: string, except: number[], timeoutMs = 60_000): Promise<number[]> {
  const until = Date.now() + timeoutMs
  const insert = `insert into "${table}"`
  for (;;) {
    const rows = await sql<{ pid: number; waiting: boolean; query: string }>(
      database,
      `select pid, wait_event_type = 'Lock' as waiting, query from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid() and pid <> all($2::int[]) and backend_type = 'client backend'`,
      [database, except]
    )
    if (rows.some((r) => r.waiting && r.query.toLowerCase().startsWith(insert))) {
      return rows.map((r) => r.pid)
    }
    if (Date.now() > until) {
      throw new Error(`no insert into ${table} waited for the lock within ${timeoutMs} ms; waiting: ${JSON.stringify(rows.filter((r) => r.waiting).map((r) => r.query.slice(0, 120)))}`)
    }
    await sleep(50)
  }
}

/** Ends the given backends and waits until they are gone (their open transactions roll back). */
export async function endBackends(database: string, pids: number[]) {
  if (pids.length === 0) return
  await sql(database, `select pg_terminate_backend(pid, 10000) from pg_stat_activity where pid = any($1::int[])`, [pids])
}
