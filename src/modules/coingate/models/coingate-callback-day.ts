import { model } from "@medusajs/framework/utils"

/**
 * How many bytes the callback log (`coingate_callback`) stored on one UTC day, counted in the database so
 * that every backend process (server, worker, several instances) spends the same daily bound
 * (src/callback-log/day-bound.ts, docs/admin.md). One row a day, pruned with the log.
 */
export const CoinGateCallbackDay = model.define("coingate_callback_day", {
  /** The UTC day, `YYYY-MM-DD`. */
  day: model.text().primaryKey(),
  /** Bytes of the rows stored that day (a fixed estimate per row plus its body as JSON). */
  bytes: model.number().default(0),
})
