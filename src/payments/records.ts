import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { CoinGateOrder, CoinGateStatus } from "../coingate/types"
import type { MedusaState } from "./rules/plan"
import { nextCheckAt } from "./rules/schedule"
import { isNewerSnapshot, ReadWindow, TimedOrder, unknownWindow } from "./rules/snapshot-order"
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
  /** When `snapshot` was read from CoinGate (null on rows from before they were kept). */
  snapshot_requested_at?: Date | string | null
  snapshot_answered_at?: Date | string | null
  /** Bumped by every write of CoinGate's state: the compare-and-set of src/payments/record-writes.ts. */
  version?: number
  medusa_state: MedusaState
  attention: string | null
  attention_note: string | null
  last_synced_at: Date | null
  last_callback_at: Date | null
  next_check_at: Date | null
  /** Copies for the admin console (src/console/query.ts); null on rows not applied since they were added. */
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

export type SaveRecordInput = {
  /** The record as loaded before applying (null: none yet). */
  existing: CoinGatePaymentRecord | null
  order: CoinGateOrder
  /** When `order` was read from CoinGate (unknown: only CoinGate's order of statuses can make it newer). */
  read?: ReadWindow
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

/** The snapshot a record holds, with when it was read (a row from before the read times were kept: unknown). */
export function heldSnapshot(record: CoinGatePaymentRecord | null): TimedOrder | null {
  if (!record?.snapshot) return null
  const read =
    record.snapshot_requested_at && record.snapshot_answered_at
      ? { requestedAt: new Date(record.snapshot_requested_at).toISOString(), answeredAt: new Date(record.snapshot_answered_at).toISOString() }
      : unknownWindow(record.last_synced_at ?? record.created_at ?? new Date())
  return { order: record.snapshot, read }
}

/**
 * The record's fields once `input` is applied to `held` (the record as read). CoinGate's part (status,
 * history, snapshot, its read times, the console's copies of its amounts) changes only when the snapshot is
 * newer than the one held (src/payments/rules/snapshot-order.ts); the history then gains the status if it differs
 * from the last one: only what CoinGate said, in CoinGate's order. Medusa's part (its state, the cart and
 * order, flags, the next check) is always this run's.
 */
export async function recordFields(container: MedusaContainer, held: CoinGatePaymentRecord | null, input: SaveRecordInput) {
  const { order, now } = input
  const read = input.read ?? unknownWindow(now)
  const kept = heldSnapshot(held)
  const newer = isNewerSnapshot({ status: order.status, read }, kept && { status: kept.order.status, read: kept.read })
  const current = newer ? { order, read } : kept!
  const history = [...(held?.history ?? [])]
  if (newer && history[history.length - 1]?.status !== order.status) {
    history.push({ status: order.status, at: now.toISOString(), source: input.source })
  }
  const createdAt = current.order.created_at ? new Date(current.order.created_at) : undefined
  const cartId = input.cartId ?? held?.cart_id ?? null
  const orderId = input.orderId ?? held?.order_id ?? null
  return {
    coingate_order_id: String(order.id),
    payment_session_id: input.sessionId,
    provider_id: input.providerId,
    cart_id: cartId,
    order_id: orderId,
    status: current.order.status,
    history,
    snapshot: current.order,
    snapshot_requested_at: new Date(current.read.requestedAt),
    snapshot_answered_at: new Date(current.read.answeredAt),
    medusa_state: input.medusaState,
    // A flag stays until a person clears it; a new one replaces it.
    attention: input.attention?.reason ?? held?.attention ?? null,
    attention_note: input.attention?.note ?? held?.attention_note ?? null,
    last_synced_at: now,
    last_callback_at: input.source === "callback" || input.source === "medusa_webhook" ? now : held?.last_callback_at ?? null,
    // Work left undone (a completion that failed) is retried by reconciliation in a minute.
    next_check_at: input.unfinished ? new Date(now.getTime() + 60_000) : nextCheckAt(current.order.status, { now, createdAt }),
    ...coingateColumns(current.order),
    ...(await medusaColumns(container, held, cartId, orderId)),
  }
}

export type RecordFields = Awaited<ReturnType<typeof recordFields>>

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
