import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { DEFAULT_CALLBACK_LOG_DAYS } from "../shared/options"
import { pruneDayCounts } from "./day-bound"
import { callbackLogService } from "./record"

/** Rows deleted per statement, and statements per run: a run's cost is bounded, the next run goes on. */
export const PRUNE_BATCH = 1000
export const PRUNE_MAX_BATCHES = 50
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * How long the callback log keeps a callback: the `callbackLogDays` option (default 30). The log is one
 * table for the store, so with several CoinGate providers the longest retention applies.
 */
export async function callbackLogDays(container: MedusaContainer): Promise<number> {
  const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders({}, { select: ["id"], take: null as any })
  const days = providers
    .filter(({ id }) => isCoinGateProviderId(id))
    .map(({ id }) => {
      try {
        return coingateGateway(container, id).callbackLogDays
      } catch {
        return null // configured once, not any more
      }
    })
    .filter((d): d is number => typeof d === "number")
  return days.length ? Math.max(...days) : DEFAULT_CALLBACK_LOG_DAYS
}

export type PruneResult = { days: number; cutoff: string; deleted: number; more: boolean }

/**
 * Deletes the callbacks received before `now - callbackLogDays`, oldest first, in batches of
 * `batchSize`, at most `maxBatches` of them (`more` says some are left for the next run).
 */
export async function pruneCallbackLog(
  container: MedusaContainer,
  { now = new Date(), batchSize = PRUNE_BATCH, maxBatches = PRUNE_MAX_BATCHES }: { now?: Date; batchSize?: number; maxBatches?: number } = {}
): Promise<PruneResult> {
  const days = await callbackLogDays(container)
  const cutoff = new Date(now.getTime() - days * DAY_MS)
  const service = callbackLogService(container)
  await pruneDayCounts(container, cutoff)
  let deleted = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const old = await service.listCoinGateCallbacks({ received_at: { $lt: cutoff } } as any, { select: ["id"], take: batchSize, order: { received_at: "ASC" } })
    if (!old.length) return { days, cutoff: cutoff.toISOString(), deleted, more: false }
    await service.deleteCoinGateCallbacks(old.map((r: { id: string }) => r.id))
    deleted += old.length
    if (old.length < batchSize) return { days, cutoff: cutoff.toISOString(), deleted, more: false }
  }
  return { days, cutoff: cutoff.toISOString(), deleted, more: true }
}
