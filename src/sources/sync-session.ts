import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { CoinGateBudgetError } from "../coingate/client"
import type { RequestClass } from "../coingate/request-budget"
import type { CoinGateSessionData } from "../payments/rules/session-data"
import { SingleFlight } from "../coingate/single-flight"
import { ApplyOutcome, applyCoinGateOrder } from "../workflows/run-apply"
import { describeState } from "../payments/rules/plan"
import { readCoinGateOrder } from "./coingate-reads"
import { loadPaymentState } from "../payments/payment-state"
import { coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { CoinGatePaymentRecord, findRecord, heldSnapshot, TruthSource } from "../payments/records"

/** Where a payment session's CoinGate order is: its provider and CoinGate id. */
export type CoinGateTarget = { sessionId: string; providerId: string; coingateOrderId: number; sessionData?: CoinGateSessionData }

/**
 * Finds the CoinGate order of a payment session, from the session itself or, for a
 * session Medusa has deleted since (a changed cart), from the plugin's record.
 */
export async function findTarget(container: MedusaContainer, sessionId: string): Promise<CoinGateTarget | null> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions({ id: sessionId }, { select: ["id", "provider_id", "data"] })
  if (session) {
    const data = (session.data ?? {}) as CoinGateSessionData
    if (!isCoinGateProviderId(session.provider_id) || !data.coingate_order_id) return null
    return { sessionId, providerId: session.provider_id, coingateOrderId: Number(data.coingate_order_id), sessionData: data }
  }
  const record = await findRecord(container, { sessionId })
  return record ? { sessionId, providerId: record.provider_id, coingateOrderId: Number(record.coingate_order_id) } : null
}

/**
 * The target of a callback. Usually the session's (or its record's). When Medusa deleted the
 * session before the plugin recorded anything (the cart changed right after the invoice was
 * issued), the provider is the CoinGate provider whose key derives the posted token for that
 * session id: only it could have issued the invoice, so a paid invoice of a replaced session
 * is verified and recorded instead of being ignored.
 */
export async function findCallbackTarget(
  container: MedusaContainer,
  posted: { sessionId: string; coingateOrderId: number; token: string }
): Promise<CoinGateTarget | null> {
  const target = await findTarget(container, posted.sessionId)
  if (target) return target
  const paymentModule = container.resolve(Modules.PAYMENT)
  const providers = await paymentModule.listPaymentProviders({ is_enabled: true }, { select: ["id"] })
  for (const { id } of providers) {
    if (!isCoinGateProviderId(id)) continue
    const provider = (() => {
      try {
        return coingateGateway(container, id)
      } catch {
        return null
      }
    })()
    if (provider?.isCallbackTokenFor(posted.sessionId, posted.token)) {
      return { sessionId: posted.sessionId, providerId: id, coingateOrderId: posted.coingateOrderId }
    }
  }
  return null
}

/**
 * How recently a record must have been synced for the public routes (the shopper's
 * return, the storefront's status check) to answer from it without reading CoinGate:
 * at most 20 reads per order and minute in a process, however many requests anyone sends.
 */
export const PUBLIC_FRESH_MS = 3000

const PUBLIC_SOURCES: ReadonlySet<TruthSource> = new Set(["return", "storefront"])

function requestClassOf(source: TruthSource): RequestClass {
  if (PUBLIC_SOURCES.has(source)) return "public"
  return source === "admin" || source === "reconcile" ? source : "callback"
}

export type SyncResult = ApplyOutcome | { fromRecord: CoinGatePaymentRecord }

/** Syncs that may answer from the record, one at a time per CoinGate order. */
const freshSyncs = new SingleFlight<SyncResult>()

/**
 * Re-reads a session's CoinGate order from the API and applies it: the shopper's return,
 * the storefront's status check and the admin's refresh come here. The public sources
 * answer from the record when it was synced within `minIntervalMs` (default
 * PUBLIC_FRESH_MS), and when their share of the request budget is spent or CoinGate rate
 * limits (a CoinGateBudgetError or 429 without a record goes to the caller).
 */
export async function syncSession(
  container: MedusaContainer,
  sessionId: string,
  source: TruthSource,
  { minIntervalMs = PUBLIC_SOURCES.has(source) ? PUBLIC_FRESH_MS : 0 }: { minIntervalMs?: number } = {}
): Promise<SyncResult | null> {
  const target = await findTarget(container, sessionId)
  if (!target) return null
  const readAndApply = () => readAndApplyTarget(container, target, source)
  if (minIntervalMs <= 0) return readAndApply()
  // The freshness check runs inside the single flight: a request arriving while a read is
  // under way waits for it, and one arriving after it finds the record that read saved.
  return freshSyncs.run(`${target.providerId}:${target.coingateOrderId}`, async () => {
    const record = await findRecord(container, { coingateOrderId: target.coingateOrderId })
    if (record?.last_synced_at && Date.now() - new Date(record.last_synced_at).getTime() < minIntervalMs) {
      // Fresh as to CoinGate, but Medusa may have moved since (the storefront completed the cart):
      // then the order just read is applied again, with no CoinGate call, as of when it was read: a
      // callback that saved a newer one meanwhile keeps it (the workflow applies the newer).
      const held = heldSnapshot(record)
      if (held && (await medusaMovedSince(container, sessionId, record))) {
        return applyCoinGateOrder(container, { sessionId, order: held.order, read: held.read, providerId: target.providerId, source })
      }
      return { fromRecord: record }
    }
    try {
      return await readAndApply()
    } catch (e: any) {
      if (record && (e instanceof CoinGateBudgetError || e?.status === 429)) return { fromRecord: record }
      throw e
    }
  })
}

async function readAndApplyTarget(container: MedusaContainer, target: CoinGateTarget, source: TruthSource): Promise<ApplyOutcome> {
  const { order, read } = await readCoinGateOrder(container, target.providerId, target.coingateOrderId, requestClassOf(source))
  return applyCoinGateOrder(container, { sessionId: target.sessionId, order, read, providerId: target.providerId, source })
}

/**
 * The same read and apply as `syncSession` for the CoinGate order a record names (the console's refresh). A
 * session's newest invoice may be another one (a new price made a new invoice); this refreshes the record's
 * own, and works when Medusa deleted the session.
 */
export async function syncRecord(
  container: MedusaContainer,
  record: Pick<CoinGatePaymentRecord, "payment_session_id" | "provider_id" | "coingate_order_id">,
  source: TruthSource
): Promise<ApplyOutcome> {
  const target = { sessionId: record.payment_session_id, providerId: record.provider_id, coingateOrderId: Number(record.coingate_order_id) }
  return readAndApplyTarget(container, target, source)
}

/** Whether Medusa's state of the session differs from what the record says (a database read only). */
async function medusaMovedSince(container: MedusaContainer, sessionId: string, record: CoinGatePaymentRecord): Promise<boolean> {
  if (record.medusa_state === "mismatch" || record.medusa_state === "orphaned") return false
  const loaded = await loadPaymentState(container, sessionId)
  if (!loaded) return false
  return describeState(loaded.state) !== record.medusa_state || (loaded.state.orderId ?? null) !== (record.order_id ?? null)
}
