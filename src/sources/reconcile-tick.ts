import { randomUUID } from "crypto"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { ReconcileFigures, reconcileOnce } from "./reconcile"

/**
 * One key per tick: the first instance to take it runs the tick's pass; the others skip.
 * It expires before the next tick and is never released, so an instance whose clock
 * or scheduler fires a little later in the same minute does not run a second pass.
 */
export const RECONCILE_TICK_LOCK_KEY = "coingate:reconcile:tick"
const TICK_LOCK_TTL_SECONDS = 50

/** What one tick did: `ran` false when disabled, when another instance took the tick, or on failure. */
export type ReconcileTickResult = { tick: string; ran: boolean; reason?: string; figures?: ReconcileFigures }

/**
 * One tick of the reconciliation job (src/jobs/coingate-reconcile.ts): takes the tick's key, runs
 * `reconcileOnce` and logs its figures (info when it did something, debug otherwise). Never throws.
 */
export async function reconcileTick(container: MedusaContainer, scheduledFor?: Date): Promise<ReconcileTickResult> {
  const tick = (scheduledFor ?? new Date()).toISOString()
  if (process.env.COINGATE_RECONCILE_DISABLED === "true") return { tick, ran: false, reason: "disabled" }
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    await container.resolve(Modules.LOCKING).acquire(RECONCILE_TICK_LOCK_KEY, { ownerId: `tick:${randomUUID()}`, expire: TICK_LOCK_TTL_SECONDS })
  } catch {
    logger.debug(`CoinGate reconciliation tick ${tick}: skipped (another instance runs this tick).`)
    return { tick, ran: false, reason: "tick taken by another instance" }
  }
  try {
    const f = await reconcileOnce(container)
    const line =
      `CoinGate reconciliation tick ${tick}: ` +
      (f.skipped
        ? `skipped (${f.skipped})`
        : `due ${f.due}, checked ${f.checked}, applied ${f.applied}, changed ${f.changed}, requests ${f.requests}, ` +
          `left for later ${f.skippedByBudget}, errors ${f.errors} (${f.durationMs} ms)`)
    if (f.checked > 0 || f.errors > 0 || f.skippedByBudget > 0) logger.info(line)
    else logger.debug(line)
    return { tick, ran: !f.skipped, reason: f.skipped, figures: f }
  } catch (e: any) {
    logger.error(`CoinGate reconciliation tick ${tick} failed: ${e?.message ?? e}`)
    return { tick, ran: false, reason: `failed: ${e?.message ?? e}` }
  }
}
