import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { CoinGateOrder, CoinGateStatus } from "../coingate/types"
import type { MedusaState } from "./plan"
import { nextCheckAt } from "./schedule"
import type { Attention } from "../shared/attention"
import { COINGATE_MODULE } from "../modules/coingate/index"
import type CoinGateModuleService from "../modules/coingate/service"

export type TruthSource = "callback" | "medusa_webhook" | "return" | "storefront" | "reconcile" | "admin"

export type HistoryEntry = { status: CoinGateStatus; at: string; source: TruthSource }

export type CoinGatePaymentRecord = {
  id: string
  coingate_order_id: string
  payment_session_id: string
  provider_id: string
  cart_id: string | null
  order_id: string | null
  status: CoinGateStatus
  history: HistoryEntry[]
  snapshot: CoinGateOrder | null
  medusa_state: MedusaState
  attention: string | null
  attention_note: string | null
  last_synced_at: Date | null
  last_callback_at: Date | null
  next_check_at: Date | null
  /** Copies for the admin console (src/payments/console-query.ts); null on rows not applied since they were added. */
  price_amount?: unknown
  raw_price_amount?: { value: string; precision: number } | null
  price_currency?: string | null
  pay_amount?: unknown
  raw_pay_amount?: { value: string; precision: number } | null
  pay_currency?: string | null
  email?: string | null
  order_display_id?: number | null
  created_at: Date
}

export function recordsService(container: MedusaContainer): CoinGateModuleService {
  return container.resolve<CoinGateModuleService>(COINGATE_MODULE)
}

/**
 * The newest record of a CoinGate order, else of a payment session. Throws when neither is given:
 * a filter on an undefined value would match every record, and the newest belongs to another order.
 */
export async function findRecord(container: MedusaContainer, by: { coingateOrderId?: number | string; sessionId?: string }) {
  const orderId = by.coingateOrderId === undefined || by.coingateOrderId === null ? "" : String(by.coingateOrderId)
  const filters = orderId ? { coingate_order_id: orderId } : by.sessionId ? { payment_session_id: by.sessionId } : null
  if (!filters) {
    throw new Error("CoinGate: a record lookup needs a CoinGate order id or a payment session id.")
  }
  const records = (await recordsService(container).listCoinGatePayments(filters as any, {
    order: { created_at: "DESC" },
    take: 1,
  })) as unknown as CoinGatePaymentRecord[]
  return records[0] ?? null
}

/** The record `cgpay_...`, or null. */
export async function recordById(container: MedusaContainer, id: string): Promise<CoinGatePaymentRecord | null> {
  const [record] = (await recordsService(container).listCoinGatePayments({ id } as any, { take: 1 })) as unknown as CoinGatePaymentRecord[]
  return record ?? null
}

/** Creates or updates the record of a CoinGate order after its state was applied. */
export async function saveRecord(
  container: MedusaContainer,
  input: {
    existing: CoinGatePaymentRecord | null
    order: CoinGateOrder
    sessionId: string
    providerId: string
    cartId: string | null
    orderId: string | null
    medusaState: MedusaState
    attention?: Attention | null
    source: TruthSource
    now: Date
    unfinished?: boolean
  }
): Promise<CoinGatePaymentRecord> {
  const { existing, order, now } = input
  const history = [...(existing?.history ?? [])]
  if (history[history.length - 1]?.status !== order.status) {
    history.push({ status: order.status, at: now.toISOString(), source: input.source })
  }
  const createdAt = order.created_at ? new Date(order.created_at) : undefined
  const fields = {
    coingate_order_id: String(order.id),
    payment_session_id: input.sessionId,
    provider_id: input.providerId,
    cart_id: input.cartId ?? existing?.cart_id ?? null,
    order_id: input.orderId ?? existing?.order_id ?? null,
    status: order.status,
    history,
    snapshot: order,
    medusa_state: input.medusaState,
    // A flag stays until a person clears it; a new one replaces it.
    attention: input.attention?.reason ?? existing?.attention ?? null,
    attention_note: input.attention?.note ?? existing?.attention_note ?? null,
    last_synced_at: now,
    last_callback_at: input.source === "callback" || input.source === "medusa_webhook" ? now : existing?.last_callback_at ?? null,
    // Work left undone (a completion that failed) is retried by reconciliation in a minute.
    next_check_at: input.unfinished ? new Date(now.getTime() + 60_000) : nextCheckAt(order.status, { now, createdAt }),
    ...coingateColumns(order),
    ...(await medusaColumns(container, existing, input.cartId ?? existing?.cart_id ?? null, input.orderId ?? existing?.order_id ?? null)),
  }
  const service = recordsService(container)
  const saved = existing
    ? await service.updateCoinGatePayments({ id: existing.id, ...fields } as any)
    : await service.createCoinGatePayments(fields as any)
  return saved as unknown as CoinGatePaymentRecord
}

const DECIMAL = /^\d+(\.\d+)?$/

/** The console's copies of the CoinGate order: amounts only when they are plain decimals, currencies upper case. */
function coingateColumns(order: CoinGateOrder) {
  const amount = (v: unknown) => (typeof v === "string" && DECIMAL.test(v.trim()) ? v.trim() : null)
  const code = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().toUpperCase() : null)
  return {
    price_amount: amount(order.price_amount),
    price_currency: code(order.price_currency),
    pay_amount: amount(order.pay_amount),
    pay_currency: code(order.pay_currency),
  }
}

/**
 * The console's copies of Medusa's side: the order's display number and the shopper's email. At most one
 * query, and only when there is something new to learn: the record's order changed (or its number is still
 * unknown), else a new record with a cart. Otherwise the record keeps what it has.
 */
async function medusaColumns(container: MedusaContainer, existing: CoinGatePaymentRecord | null, cartId: string | null, orderId: string | null) {
  const kept = { email: existing?.email ?? null, order_display_id: existing?.order_display_id ?? null }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const lower = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().toLowerCase() : null)
  if (orderId && (orderId !== existing?.order_id || kept.order_display_id === null)) {
    const { data } = await query.graph({ entity: "order", fields: ["display_id", "email"], filters: { id: orderId } })
    const displayId = Number((data[0] as any)?.display_id)
    return { email: lower((data[0] as any)?.email) ?? kept.email, order_display_id: Number.isInteger(displayId) ? displayId : null }
  }
  if (cartId && !existing) {
    const { data } = await query.graph({ entity: "cart", fields: ["email"], filters: { id: cartId } })
    return { ...kept, email: lower((data[0] as any)?.email) }
  }
  return kept
}
