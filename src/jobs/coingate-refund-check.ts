import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { withRequestClass } from "../coingate/request-budget"
import { checkAllUnresolved } from "../refunds/check"

/**
 * Every two minutes: resolves refunds and payouts whose CoinGate answer was lost (docs/refunds.md
 * "Lost answers"), by reading the order's refunds or the send requests, each payment inside its lock.
 * Found: recorded as made; absent past the grace period: released. Reads count in the reconcile share
 * of CoinGate's request budget. Set COINGATE_REFUND_CHECK_DISABLED=true to turn it off in a process.
 */
export default async function coingateRefundCheckJob(container: MedusaContainer) {
  if (process.env.COINGATE_REFUND_CHECK_DISABLED === "true") return null
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    const s = await withRequestClass("reconcile", () => checkAllUnresolved(container))
    const line = `CoinGate refund check: ${s.payments} payment(s), found ${s.found}, released ${s.released}, still unknown ${s.still_unknown}, errors ${s.errors}.`
    if (s.payments > 0) logger.info(line)
    else logger.debug(line)
    return s
  } catch (e: any) {
    logger.warn(`CoinGate refund check failed: ${e?.message ?? e}`)
    return null
  }
}

export const config = {
  name: "coingate-refund-check",
  schedule: "*/2 * * * *",
}
