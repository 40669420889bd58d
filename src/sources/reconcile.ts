import { randomUUID } from "crypto"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { TimedOrder } from "../payments/rules/snapshot-order"
import {
  DueRecord,
  idRangeForTimes,
  OPEN_SESSION_STATUSES,
  orderWork,
  retryAfterFailure,
  UNRECORDED_MAX_AGE_MS,
  UNRECORDED_MIN_AGE_MS,
  UnrecordedSession,
  WorkItem,
} from "../payments/rules/reconcile-selection"
import { CoinGateApiError, CoinGateBudgetError } from "../coingate/client"
import { RequestBudget, resolveRequestsPerMinute } from "../coingate/request-budget"
import { applyCoinGateOrder } from "../workflows/run-apply"
import { readCoinGateOrder } from "./coingate-reads"
import { coingateGateway, PROVIDER_ID_PREFIX } from "../gateway/index"
import { recordsService } from "../payments/records"

/** Held while a pass runs, so that one pass runs at a time across every instance sharing the locking module. */
export const RECONCILE_LOCK_KEY = "coingate:reconcile"
/** How long the pass lock lives without renewal (a crashed instance frees it after this). */
export const RECONCILE_LOCK_TTL_SECONDS = 120
/** The pass stops starting reads after this long, well inside the lock's lifetime and the next tick. */
export const DEFAULT_MAX_DURATION_MS = 45_000
/** Candidates loaded per pass, per kind: more than any budget can read in a minute. */
export const DEFAULT_BATCH_SIZE = 500
/** Orders read and applied at the same time. */
export const DEFAULT_CONCURRENCY = 4

export type ReconcileFigures = {
  /** Orders the pass tried to read from CoinGate. */
  checked: number
  /** Orders read and handed to `applyCoinGateOrder`. */
  applied: number
  /** Of those, the ones whose status or Medusa state changed. */
  changed: number
  /**
   * CoinGate requests spent: each read, the re-read Medusa's cart completion makes when
   * an order is placed or captured, and the client's retries of a failed read.
   */
  requests: number
  /** Due orders left for a later pass: over the request budget, paused after a 429, or out of time. */
  skippedByBudget: number
  /** Reads or applies that failed (the order stays due). */
  errors: number
  /** Candidates found: due records plus open sessions without a record. */
  due: number
  /** Why the pass did nothing, when it did nothing on purpose. */
  skipped?: "locked" | "rate_limited"
  durationMs: number
}

export type ReconcileOptions = {
  /** The time the pass reconciles for (tests move it forward). Default: now. */
  now?: Date | number
  /**
   * Requests this pass may make: a number (a fresh budget for this pass only) or a
   * RequestBudget shared between passes. Default: one budget per CoinGate provider for
   * the process, `reconcileRequestsPerMinute` (provider option) or 60 per minute.
   */
  budget?: RequestBudget | number
  batchSize?: number
  concurrency?: number
  maxDurationMs?: number
  /** Take the pass lock (default true). */
  lock?: boolean
}

/** The process's budgets, per CoinGate provider (one API app each), kept between passes. */
const sharedBudgets = new Map<string, RequestBudget>()

function providerOptions(container: MedusaContainer, providerId: string): Record<string, unknown> | undefined {
  try {
    return coingateGateway(container, providerId).rawOptions
  } catch {
    return undefined
  }
}

function budgetFor(container: MedusaContainer, providerId: string, given: ReconcileOptions["budget"], passBudget: RequestBudget | null) {
  if (given instanceof RequestBudget) return given
  if (passBudget) return passBudget
  if (!sharedBudgets.has(providerId)) sharedBudgets.set(providerId, new RequestBudget(resolveRequestsPerMinute(providerOptions(container, providerId))))
  return sharedBudgets.get(providerId)!
}

/**
 * Sessions without a record whose order could not be read, and when to try again. A
 * record carries its own next check; these have none, so without this a session whose
 * order CoinGate does not know would cost a request every minute for two days.
 */
const unrecordedRetryAt = new Map<string, number>()

/** Pages of open sessions looked through per pass for ones without a record (each page `batchSize`). */
const UNRECORDED_MAX_PAGES = 20

/** Forgets the process's shared budgets and retry times (tests). */
export function resetReconcileBudgets() {
  sharedBudgets.clear()
  unrecordedRetryAt.clear()
}

/** Records whose `next_check_at` has come, oldest first (index on next_check_at). */
async function loadDueRecords(container: MedusaContainer, now: Date, take: number): Promise<(DueRecord & { medusa_state: string })[]> {
  return (await recordsService(container).listCoinGatePayments({ next_check_at: { $lte: now } } as any, {
    select: ["id", "coingate_order_id", "payment_session_id", "provider_id", "status", "next_check_at", "attention", "medusa_state"],
    order: { next_check_at: "ASC" },
    take,
  })) as any
}

/**
 * Open CoinGate sessions created in the watched window that have no record. The id
 * range (ULIDs start with their creation time) keeps the query on the primary key's
 * index over the window's sessions; records are looked up by session id (indexed).
 */
async function loadUnrecordedSessions(container: MedusaContainer, now: Date, take: number): Promise<UnrecordedSession[]> {
  const to = now.getTime() - UNRECORDED_MIN_AGE_MS
  const from = now.getTime() - UNRECORDED_MAX_AGE_MS
  const range = idRangeForTimes("payses", from, to)
  const paymentModule = container.resolve(Modules.PAYMENT)
  const found: UnrecordedSession[] = []
  // Page through the window by id: sessions that already have a record (still open in
  // Medusa, read on the record's own schedule) must not hide the ones without one.
  let after: string | null = null
  for (let page = 0; page < UNRECORDED_MAX_PAGES && found.length < take; page++) {
    const sessions = await paymentModule.listPaymentSessions(
      {
        id: after ? { $gt: after, $lte: range.lte } : { $gte: range.gte, $lte: range.lte },
        provider_id: { $like: `${PROVIDER_ID_PREFIX}%` },
        status: [...OPEN_SESSION_STATUSES],
        created_at: { $gte: new Date(from), $lte: new Date(to) },
      } as any,
      { select: ["id", "provider_id", "status", "created_at", "data"], order: { id: "ASC" }, take }
    )
    if (!sessions.length) break
    after = sessions[sessions.length - 1].id
    const recorded = (await recordsService(container).listCoinGatePayments({ payment_session_id: sessions.map((s) => s.id) } as any, {
      select: ["payment_session_id"],
    })) as unknown as { payment_session_id: string }[]
    const withRecord = new Set(recorded.map((r) => r.payment_session_id))
    for (const s of sessions) {
      if (withRecord.has(s.id) || found.length >= take) continue
      found.push({
        id: s.id,
        provider_id: s.provider_id,
        status: s.status,
        created_at: s.created_at as any,
        coingate_order_id: (s.data as Record<string, unknown> | null)?.coingate_order_id as number | string | undefined,
      })
    }
    if (sessions.length < take) break
  }
  return found
}

/**
 * One reconciliation pass: reads from CoinGate the orders of the sessions still open
 * that are due (see src/payments/rules/reconcile-selection.ts) and applies each through
 * `applyCoinGateOrder`, the one function that applies CoinGate state. Keeps to the
 * request budget, stops for the pass (and pauses the budget) when CoinGate answers 429,
 * and never runs twice at once across instances sharing Medusa's locking module.
 */
export async function reconcileOnce(container: MedusaContainer, options: ReconcileOptions = {}): Promise<ReconcileFigures> {
  const started = Date.now()
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const now = new Date(options.now === undefined ? Date.now() : typeof options.now === "number" ? options.now : options.now.getTime())
  const figures: ReconcileFigures = { checked: 0, applied: 0, changed: 0, requests: 0, skippedByBudget: 0, errors: 0, due: 0, durationMs: 0 }
  const finish = () => ({ ...figures, durationMs: Date.now() - started })

  const locking = container.resolve(Modules.LOCKING)
  const ownerId = `reconcile:${randomUUID()}`
  const useLock = options.lock !== false
  if (useLock) {
    try {
      await locking.acquire(RECONCILE_LOCK_KEY, { ownerId, expire: RECONCILE_LOCK_TTL_SECONDS })
    } catch {
      figures.skipped = "locked"
      return finish()
    }
  }

  try {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
    const [records, sessions] = await Promise.all([
      loadDueRecords(container, now, batchSize),
      loadUnrecordedSessions(container, now, batchSize),
    ])
    const previous = new Map(records.map((r) => [String(r.coingate_order_id), `${r.status}/${r.medusa_state}`]))
    for (const [id, at] of unrecordedRetryAt) if (at <= now.getTime()) unrecordedRetryAt.delete(id)
    const work = orderWork(records, sessions.filter((x) => !unrecordedRetryAt.has(x.id)), now.getTime())
    figures.due = work.length
    if (!work.length) return finish()

    const passBudget = typeof options.budget === "number" ? new RequestBudget(options.budget) : null
    // Resolved before any read, so that a bad setting fails the pass as a whole.
    const budgets = new Map(work.map((w) => [w.providerId, budgetFor(container, w.providerId, options.budget, passBudget)]))
    const deadline = started + (options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS)
    let rateLimited = false
    let paused = false
    let lastRenewal = Date.now()
    let next = 0

    const renewLock = async () => {
      if (!useLock || Date.now() - lastRenewal < 20_000) return
      lastRenewal = Date.now()
      // Acquiring again with the same owner extends the lock (in memory and in Redis).
      await locking.acquire(RECONCILE_LOCK_KEY, { ownerId, expire: RECONCILE_LOCK_TTL_SECONDS }).catch(() => undefined)
    }

    const handle = async (item: WorkItem) => {
      const budget = budgets.get(item.providerId)!
      // One request per order: applying it (Medusa's cart completion included) reuses the order
      // just read (src/coingate/recent-orders.ts), so a paid order costs no second read.
      if (rateLimited || Date.now() > deadline || !budget.tryTake(Date.now(), 1)) {
        if (budget.pausedUntil(Date.now())) paused = true
        figures.skippedByBudget++
        return
      }
      figures.requests++
      figures.checked++
      let read: TimedOrder
      try {
        read = await readCoinGateOrder(container, item.providerId, item.coingateOrderId, "reconcile")
        budget.noteSuccess()
      } catch (e: any) {
        if (e instanceof CoinGateBudgetError) {
          // Not sent: the API app's budget keeps its room for callbacks. Stays due, like the rest of the pass.
          budget.refund(1)
          Object.assign(figures, { requests: figures.requests - 1, checked: figures.checked - 1, skippedByBudget: figures.skippedByBudget + 1 })
          paused = rateLimited = true
          return
        }
        figures.errors++
        const transient = e?.transient !== false
        // The client may have retried the read before giving up: those requests count too.
        const retries = e instanceof CoinGateApiError ? e.attempts - 1 : 0
        if (retries > 0) {
          figures.requests += retries
          budget.charge(Date.now(), retries)
        }
        if (e?.status === 429) {
          rateLimited = true
          const until = budget.noteRateLimited(Date.now())
          logger.warn(`CoinGate reconciliation: CoinGate answered 429 (rate limited); pausing reconciliation until ${new Date(until).toISOString()}.`)
        } else {
          logger.warn(`CoinGate reconciliation could not read order ${item.coingateOrderId} (session ${item.sessionId}): ${e?.message ?? e}`)
        }
        const retryAt = retryAfterFailure(now.getTime(), { transient })
        if (item.recordId) {
          await recordsService(container)
            .updateCoinGatePayments({ id: item.recordId, next_check_at: retryAt } as any)
            .catch(() => undefined)
        } else {
          unrecordedRetryAt.set(item.sessionId, retryAt.getTime())
        }
        return
      }
      try {
        const outcome = await applyCoinGateOrder(container, {
          sessionId: item.sessionId,
          order: read.order,
          read: read.read,
          providerId: item.providerId,
          source: "reconcile",
        })
        figures.applied++
        if (previous.get(String(read.order.id)) !== `${outcome.record.status}/${outcome.record.medusa_state}`) figures.changed++
      } catch (e: any) {
        figures.errors++
        logger.error(`CoinGate reconciliation could not apply order ${item.coingateOrderId} to ${item.sessionId}: ${e?.message ?? e}`)
      }
    }

    const worker = async () => {
      while (next < work.length) {
        const item = work[next++]
        await handle(item)
        await renewLock()
      }
    }
    const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, work.length))
    await Promise.all(Array.from({ length: concurrency }, worker))
    if ((rateLimited || paused) && figures.applied === 0) figures.skipped = "rate_limited"
    return finish()
  } finally {
    if (useLock) await locking.release(RECONCILE_LOCK_KEY, { ownerId }).catch(() => undefined)
  }
}
