import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { pruneCallbackLog, PruneResult } from "../callback-log/prune"

/**
 * Every hour: deletes the callback log's rows older than `callbackLogDays` (src/callback-log/prune.ts),
 * in bounded batches. Several instances running it at once only delete the same rows.
 */
export default async function coingateCallbackLogPruneJob(container: MedusaContainer): Promise<PruneResult | null> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    const result = await pruneCallbackLog(container)
    const line = `CoinGate callback log: ${result.deleted} callback(s) received before ${result.cutoff} (${result.days} days) deleted${result.more ? ", more left for the next run" : ""}.`
    if (result.deleted > 0) logger.info(line)
    else logger.debug(line)
    return result
  } catch (e: any) {
    logger.warn(`CoinGate callback log pruning failed: ${e?.message ?? e}`)
    return null
  }
}

export const config = {
  name: "coingate-callback-log-prune",
  schedule: "17 * * * *",
}
