import type { CoinGateStatus } from "../../coingate/types"
import { policyOf } from "./status-policy"

export { LATE_PAYMENT_WATCH_MS } from "./status-policy"

/**
 * When reconciliation should read a CoinGate order again, or null when nothing can
 * change any more. The pace of each status is its `readAgain` in the status policy
 * (status-policy.ts); a watch bounded by the invoice's age (expired and canceled invoices,
 * for a late payment) ends on the bound, not after it. Without a creation time the
 * watch starts now.
 */
export function nextCheckAt(status: CoinGateStatus, opts: { now: Date; createdAt?: Date }): Date | null {
  const rule = policyOf(status)?.readAgain
  if (!rule) return null
  const now = opts.now.getTime()
  if (rule.untilAgeMs === undefined) return new Date(now + rule.everyMs)
  const watchUntil = (opts.createdAt?.getTime() ?? now) + rule.untilAgeMs
  return now >= watchUntil ? null : new Date(Math.min(now + rule.everyMs, watchUntil))
}
