/**
 * The refund widget's calls to `/admin/coingate/orders/:id/refunds` and `/admin/coingate/refund-options`
 * (docs/refunds.md), authenticated like the dashboard (session cookie, or its JWT when the store sets
 * `ADMIN_AUTH_TYPE=jwt`).
 */

import { type BadgeColor, call } from "./coingate-api"

export type { BadgeColor }

export type RefundHistoryEntry = { status: string; at: string; source: string; note?: string }

export type CoinGateRefundView = {
  id: string
  kind: "refund" | "payout"
  medusa_refund_id: string | null
  payment_id: string
  coingate_id: string
  coingate_order_id: string
  amount: string
  currency_code: string
  address: string
  address_memo: string | null
  coin: string | null
  network: string | null
  email: string | null
  reason: string | null
  status: string
  outcome: "open" | "sent" | "not_sent"
  /** False while made at CoinGate but not recorded in Medusa. */
  recorded_in_medusa: boolean
  rejection_reason: string | null
  requires_2fa_confirmation: boolean
  attention: { reason: string; note: string | null } | null
  snapshot: Record<string, any> | null
  history: RefundHistoryEntry[]
  created_at: string | null
  completed_at: string | null
  last_callback_at: string | null
}

export type OrderRefundsView = {
  order_id: string
  currency_code: string
  payments: Array<{ payment_id: string; provider_id: string; coingate_order_id: string | null; captured: string; refunded: string; refundable: string }>
  refunds: CoinGateRefundView[]
  /** Asked of CoinGate and not settled: requested (in flight) or unknown (answer lost, amount reserved). */
  intents: Array<{ id: string; kind: "refund" | "payout"; state: string; amount: string; currency_code: string; payment_id: string; requested_at: string | null; note: string }>
  manual_refunds: Array<{
    medusa_refund_id: string | null
    amount: string
    currency_code: string
    at: string
    note: string
    payment_id: string
    /** Set once paid through CoinGate from the form. */
    settled_by: string | null
    settled_at: string | null
  }>
  defaults: { email: string | null; first_name: string | null; last_name: string | null; country: string | null }
}

export type RefundOptions = {
  provider_id: string
  currencies: Array<{ id: number; symbol: string; title: string; platforms: { id: number; title: string }[] }>
  ledger_accounts: Array<{ id: string; title: string | null; currency: string | null; balance: string | null; account_type: string | null }>
  default_ledger_account_id: string | null
  auto_confirm_payout_exchange: boolean
}

export type RefundForm = {
  amount: string
  method: "refund" | "payout"
  currency_id: number
  platform_id: number
  address: string
  address_memo?: string
  email?: string
  reason: string
  ledger_account_id?: string
  beneficiary?: { first_name: string; last_name: string; country: string }
  /** Pay this refund Medusa made on its own, instead of making a new one. */
  manual_refund_id?: string
  /** One per form opened (the server makes one refund of a key). */
  idempotency_key?: string
}

const orderPath = (orderId: string) => `/admin/coingate/orders/${encodeURIComponent(orderId)}/refunds`

export const refundsApi = {
  list: (orderId: string) => call<OrderRefundsView>(orderPath(orderId)),
  refresh: (orderId: string) => call<OrderRefundsView>(`${orderPath(orderId)}/refresh`, { method: "POST", body: {} }),
  /** "Check CoinGate": resolves refunds and payouts whose answer was lost. */
  check: (orderId: string) => call<OrderRefundsView>(`${orderPath(orderId)}/check`, { method: "POST", body: {} }),
  create: (orderId: string, form: RefundForm) => call<OrderRefundsView & { refund: CoinGateRefundView }>(orderPath(orderId), { method: "POST", body: form }),
  options: (orderId: string) => call<RefundOptions>(`/admin/coingate/refund-options?order_id=${encodeURIComponent(orderId)}`),
}


const STATUS: Record<string, { label: string; color: BadgeColor }> = {
  pending: { label: "Pending", color: "orange" },
  processing: { label: "Processing", color: "blue" },
  completed: { label: "Completed", color: "green" },
  rejected: { label: "Rejected", color: "red" },
  draft: { label: "Awaiting confirmation", color: "orange" },
  in_progress: { label: "In progress", color: "blue" },
  failed: { label: "Failed", color: "red" },
  expired: { label: "Expired", color: "red" },
  canceled: { label: "Canceled", color: "red" },
}

export function refundStatusLabel(status: string): { label: string; color: BadgeColor } {
  return STATUS[status] ?? { label: status.replace(/_/g, " "), color: "grey" }
}

/** Whether a typed amount is a plain decimal with at most `digits` decimals (what the backend accepts). */
export function isExactAmount(value: string, digits: number): boolean {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value.trim())
  return !!m && (m[2] ?? "").replace(/0+$/, "").length <= digits && /[1-9]/.test(value)
}
