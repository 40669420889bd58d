import type { CoinGateStatus } from "./coingate-types"

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** How long after its creation an expired or canceled invoice is still watched for a late payment. */
export const LATE_PAYMENT_WATCH_MS = 24 * HOUR

/**
 * When reconciliation should read a CoinGate order again, or null when nothing can
 * change any more. Intervals follow how fast each status moves at CoinGate:
 * - `confirming`: every minute (CoinGate advises polling confirming orders every 30-60 s);
 * - `pending`: every 2 minutes (a chosen coin expires after 20 minutes);
 * - `new`: every 10 minutes (an untouched invoice expires after 2 hours);
 * - `expired`/`canceled`: every 30 minutes for 24 hours, for a late payment;
 * - `paid`, `invalid`, refunded: done.
 */
export function nextCheckAt(status: CoinGateStatus, opts: { now: Date; createdAt?: Date }): Date | null {
  const now = opts.now.getTime()
  switch (status) {
    case "confirming":
      return new Date(now + MINUTE)
    case "pending":
      return new Date(now + 2 * MINUTE)
    case "new":
      return new Date(now + 10 * MINUTE)
    case "expired":
    case "canceled": {
      const watchUntil = (opts.createdAt?.getTime() ?? now) + LATE_PAYMENT_WATCH_MS
      return now >= watchUntil ? null : new Date(Math.min(now + 30 * MINUTE, watchUntil))
    }
    default:
      return null
  }
}
