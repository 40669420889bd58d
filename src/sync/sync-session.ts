import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { CoinGateSessionData } from "../lib/session-data"
import { ApplyOutcome, applyCoinGateOrder } from "./apply-coingate-order"
import { coingateProvider, isCoinGateProviderId } from "./provider"
import { CoinGatePaymentRecord, findRecord, TruthSource } from "./records"

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
        return coingateProvider(container, id)
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
 * Re-reads a session's CoinGate order from the API and applies it: the shopper's return,
 * the storefront's status check, reconciliation and the admin's refresh all come here.
 * `minIntervalMs` skips the API read when the order was read that recently (a storefront
 * polling, a shopper reloading), answering from the record instead.
 */
export async function syncSession(
  container: MedusaContainer,
  sessionId: string,
  source: TruthSource,
  { minIntervalMs = 0 }: { minIntervalMs?: number } = {}
): Promise<ApplyOutcome | { fromRecord: CoinGatePaymentRecord } | null> {
  const target = await findTarget(container, sessionId)
  if (!target) return null
  if (minIntervalMs > 0) {
    const record = await findRecord(container, { coingateOrderId: target.coingateOrderId })
    if (record?.last_synced_at && Date.now() - new Date(record.last_synced_at).getTime() < minIntervalMs) {
      return { fromRecord: record }
    }
  }
  const order = await coingateProvider(container, target.providerId).readOrder(target.coingateOrderId)
  return applyCoinGateOrder(container, { sessionId, order, providerId: target.providerId, source })
}
