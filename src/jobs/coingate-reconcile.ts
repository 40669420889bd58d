import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcileTick, type ReconcileTickResult } from "../sources/reconcile-tick"

// Kept here too: tests and stores import them from the job's module.
export { RECONCILE_TICK_LOCK_KEY, type ReconcileTickResult } from "../sources/reconcile-tick"

/**
 * Every minute: re-read from CoinGate the orders of payments still open and apply them
 * (src/sources/reconcile-tick.ts, src/sources/reconcile.ts, docs/reliability.md). Set
 * COINGATE_RECONCILE_DISABLED=true to turn it off in a process.
 */
export default async function coingateReconcileJob(container: MedusaContainer, context?: { scheduledFor?: Date }): Promise<ReconcileTickResult> {
  return reconcileTick(container, context?.scheduledFor)
}

export const config = {
  name: "coingate-reconcile",
  schedule: "* * * * *",
}
