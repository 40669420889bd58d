import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { CoinGateOrder } from "../coingate/types"
import { coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { displayAmount } from "../shared/amounts"
import { CoinGatePaymentRecord, recordsService } from "../payments/records"

/**
 * What the admin API shows of CoinGate. Every field is picked explicitly (never a
 * spread of a CoinGate order or of session data), so neither the API token nor a
 * callback token can leak into a response.
 */

export type AdminCoinGateTransaction = {
  txid: string | null
  amount: string | null
  currency: string | null
  status: string | null
  confirmations: number | null
}

export type AdminCoinGatePayment = {
  /** The record's id (`cgpay_...`), null while the backend has not applied any state of this order yet. */
  id: string | null
  payment_session_id: string
  payment_collection_id: string | null
  provider_id: string
  /** The Medusa session's status, null when the session no longer exists. */
  session_status: string | null
  /** What Medusa made of it: pending, awaiting_payment, captured, canceled, failed, orphaned, mismatch. */
  medusa_state: string | null
  coingate_order_id: string | null
  /** CoinGate's status (last seen). */
  status: string | null
  history: { status: string; at: string; source: string }[]
  price_amount: string | null
  price_currency: string | null
  pay_amount: string | null
  pay_currency: string | null
  receive_amount: string | null
  receive_currency: string | null
  /** In `pay_currency`; null when nothing is missing. */
  underpaid_amount: string | null
  /** In `pay_currency`; null when nothing was paid in excess. */
  overpaid_amount: string | null
  blockchain_transactions: AdminCoinGateTransaction[]
  created_at: string | null
  expire_at: string | null
  paid_at: string | null
  last_synced_at: string | null
  last_callback_at: string | null
  attention: { reason: string; note: string | null } | null
  dashboard_url: string | null
  /** True for CoinGate's sandbox, false for live, null when the provider is no longer registered. */
  sandbox: boolean | null
}

export type AdminCoinGateOrderView = {
  order_id: string
  payments: AdminCoinGatePayment[]
}

/** One CoinGate order of the admin's refresh of a Medusa order (src/sources/admin-refresh.ts). */
export type AdminRefreshedPayment = { payment_session_id: string; ok: boolean; status?: string; error?: string }

type SessionRow = {
  id: string
  provider_id: string
  status: string
  data: Record<string, unknown> | null
  payment_collection_id: string | null
  created_at?: string | Date
}

/** Text, or null for nothing. */
export const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v))

/** An ISO timestamp, or null for nothing or what is not a date. */
export const iso = (v: unknown): string | null => {
  if (v === undefined || v === null || v === "") return null
  const d = v instanceof Date ? v : new Date(String(v))
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** "0", "0.0", "" and null all mean "nothing". */
export const positiveAmount = (v: unknown): string | null => {
  const s = str(v)
  return s !== null && /[1-9]/.test(s) && !s.trim().startsWith("-") ? s : null
}

function transactionsOf(order: CoinGateOrder | null): AdminCoinGateTransaction[] {
  return (order?.blockchain_transactions ?? []).map((tx) => ({
    txid: str(tx?.txid),
    amount: str(tx?.amount),
    currency: str(tx?.currency?.symbol),
    status: str(tx?.status),
    confirmations: typeof tx?.network_confirmations === "number" ? tx.network_confirmations : null,
  }))
}

export type ProviderInfo = { sandbox: boolean | null; dashboardUrl: (id: string, paymentUrl: string | null) => string | null }

export function providerInfo(container: MedusaContainer, providerId: string, cache: Map<string, ProviderInfo>): ProviderInfo {
  let info = cache.get(providerId)
  if (!info) {
    try {
      const gateway = coingateGateway(container, providerId)
      info = { sandbox: gateway.isSandbox, dashboardUrl: (id, paymentUrl) => gateway.dashboardUrl(id, paymentUrl) }
    } catch {
      // A provider taken out of the store's config: its old payments still show, without a link.
      info = { sandbox: null, dashboardUrl: () => null }
    }
    cache.set(providerId, info)
  }
  return info
}

export function paymentView(
  container: MedusaContainer,
  input: { record: CoinGatePaymentRecord | null; session: SessionRow | null },
  cache = new Map<string, ProviderInfo>()
): AdminCoinGatePayment {
  const { record, session } = input
  const snapshot = (record?.snapshot ?? null) as CoinGateOrder | null
  const sessionData = (session?.data ?? {}) as Record<string, unknown>
  const providerId = record?.provider_id ?? session?.provider_id ?? ""
  const coingateOrderId = str(record?.coingate_order_id ?? sessionData.coingate_order_id)
  const info = providerInfo(container, providerId, cache)
  return {
    id: record?.id ?? null,
    payment_session_id: record?.payment_session_id ?? session!.id,
    payment_collection_id: session?.payment_collection_id ?? null,
    provider_id: providerId,
    session_status: session?.status ?? null,
    medusa_state: record?.medusa_state ?? null,
    coingate_order_id: coingateOrderId,
    status: str(record?.status ?? sessionData.coingate_status),
    history: (Array.isArray(record?.history) ? record!.history : []).map((h) => ({
      status: String(h.status),
      at: iso(h.at) ?? String(h.at),
      source: String(h.source),
    })),
    price_amount: displayAmount(str(snapshot?.price_amount ?? sessionData.price_amount), str(snapshot?.price_currency ?? sessionData.price_currency)),
    price_currency: str(snapshot?.price_currency ?? sessionData.price_currency),
    pay_amount: str(snapshot?.pay_amount),
    pay_currency: str(snapshot?.pay_currency),
    receive_amount: positiveAmount(snapshot?.receive_amount),
    receive_currency: str(snapshot?.receive_currency),
    underpaid_amount: positiveAmount(snapshot?.underpaid_amount),
    overpaid_amount: positiveAmount(snapshot?.overpaid_amount),
    blockchain_transactions: transactionsOf(snapshot),
    created_at: iso(snapshot?.created_at),
    expire_at: iso(snapshot?.expire_at),
    paid_at: iso(snapshot?.paid_at),
    last_synced_at: iso(record?.last_synced_at),
    last_callback_at: iso(record?.last_callback_at),
    attention: record?.attention ? { reason: record.attention, note: record.attention_note ?? null } : null,
    dashboard_url: coingateOrderId ? info.dashboardUrl(coingateOrderId, str(snapshot?.payment_url ?? sessionData.payment_url)) : null,
    sandbox: info.sandbox,
  }
}

/** The CoinGate payment sessions of a Medusa order (through its payment collections). 404 when there is no such order. */
export async function coingateSessionsOfOrder(container: MedusaContainer, orderId: string): Promise<SessionRow[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.id",
      "payment_collections.payment_sessions.id",
      "payment_collections.payment_sessions.provider_id",
      "payment_collections.payment_sessions.status",
      "payment_collections.payment_sessions.data",
      "payment_collections.payment_sessions.created_at",
    ],
    filters: { id: orderId },
  })
  const order = orders[0] as any
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found.`)
  }
  const sessions: SessionRow[] = []
  for (const collection of order.payment_collections ?? []) {
    for (const s of collection?.payment_sessions ?? []) {
      if (s && isCoinGateProviderId(s.provider_id)) {
        sessions.push({
          id: s.id,
          provider_id: s.provider_id,
          status: s.status,
          data: s.data ?? null,
          payment_collection_id: collection.id,
          created_at: s.created_at,
        })
      }
    }
  }
  return sessions
}

/**
 * The CoinGate side of a Medusa order: for each CoinGate payment session of its payment
 * collections, the plugin's record(s) of its CoinGate order(s), or what the session knows
 * when no state was applied yet. Records that name the order but whose session is gone
 * are included too.
 */
export async function orderView(container: MedusaContainer, orderId: string): Promise<AdminCoinGateOrderView> {
  const sessions = await coingateSessionsOfOrder(container, orderId)
  const service = recordsService(container)
  const sessionIds = sessions.map((s) => s.id)
  const [bySession, byOrder] = await Promise.all([
    sessionIds.length
      ? (service.listCoinGatePayments({ payment_session_id: sessionIds } as any, { order: { created_at: "ASC" } }) as unknown as Promise<
          CoinGatePaymentRecord[]
        >)
      : Promise.resolve([] as CoinGatePaymentRecord[]),
    service.listCoinGatePayments({ order_id: orderId } as any, { order: { created_at: "ASC" } }) as unknown as Promise<CoinGatePaymentRecord[]>,
  ])
  const records = new Map<string, CoinGatePaymentRecord>()
  for (const r of [...bySession, ...byOrder]) records.set(r.id, r)

  const cache = new Map<string, ProviderInfo>()
  const payments: AdminCoinGatePayment[] = []
  const seenSessions = new Set<string>()
  for (const session of sessions) {
    const own = [...records.values()].filter((r) => r.payment_session_id === session.id)
    if (own.length === 0) {
      if (session.data?.coingate_order_id) payments.push(paymentView(container, { record: null, session }, cache))
    } else {
      for (const record of own) payments.push(paymentView(container, { record, session }, cache))
    }
    seenSessions.add(session.id)
  }
  for (const record of records.values()) {
    if (!seenSessions.has(record.payment_session_id)) payments.push(paymentView(container, { record, session: null }, cache))
  }
  return { order_id: orderId, payments }
}
