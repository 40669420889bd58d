import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"

/**
 * The callback log's daily size bound (docs/admin.md). Per-minute budgets (src/callback-log/record.ts) bound
 * the rows one process writes; this bounds what all processes together store in a UTC day, counted in the
 * database (`coingate_callback_day`), so a flood spread over several backend instances or days still costs a
 * known amount.
 *
 * Why 16 MiB: a CoinGate order callback is about 1 KB as JSON, a row about 0.4 KB more; 16 MiB holds some
 * 11,000 authentic callbacks with their bodies (a shop taking 2,500 payments a day), and with the default 30 days'
 * retention the log's stored rows stay under about 0.5 GB whatever anyone posts. Past the bound, callbacks that
 * were not authenticated are only counted (one aggregate row per minute, route and outcome and process), and
 * authentic ones (CoinGate's, bounded by the shop's real payments) keep their row without the body.
 */
export const DAILY_LOG_BYTES = 16 * 1024 * 1024

/** What the log charges for a row besides its body: ids, route, answer, timestamps and index entries. */
export const ROW_BYTES = 400

/** The UTC day of a callback, the count's key. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10)

let warned = false

/**
 * Adds `bytes` to the day's count when the sum stays within `bound`, in one statement (concurrent processes
 * cannot both take the last room). False, and nothing added, when it would not fit. A count that cannot be
 * written (the table missing before `medusa db:migrate`) does not stop the log: the row is allowed, once warned.
 */
export async function chargeDay(container: MedusaContainer, day: string, bytes: number, bound = DAILY_LOG_BYTES): Promise<boolean> {
  try {
    const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
    const result = await pg.raw(
      `insert into "coingate_callback_day" ("day", "bytes") values (?, ?)
       on conflict ("day") do update set "bytes" = "coingate_callback_day"."bytes" + excluded."bytes", "updated_at" = now()
       where "coingate_callback_day"."bytes" + excluded."bytes" <= ?
       returning "bytes"`,
      [day, Math.max(0, Math.ceil(bytes)), bound]
    )
    return (result?.rows?.length ?? 0) > 0
  } catch (e: any) {
    if (!warned) {
      warned = true
      // A database error quotes its whole statement ("insert into ... - relation ... does not exist"): keep the reason.
      const message = String(e?.message ?? e)
      const reason = (message.includes(" - ") ? message.slice(message.lastIndexOf(" - ") + 3) : message).slice(0, 200)
      try {
        container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate callback log: the daily size count is not kept (${reason}).`)
      } catch {
        // No logger: the row is still written.
      }
    }
    return true
  }
}

/** Deletes the counts of days before `cutoff` (the log's own rows of those days are pruned with it). */
export async function pruneDayCounts(container: MedusaContainer, cutoff: Date): Promise<void> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
  await pg.raw(`delete from "coingate_callback_day" where "day" < ?`, [dayOf(cutoff)])
}
