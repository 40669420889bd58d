/**
 * The refund widget's calls to `/admin/coingate/orders/:id/refunds` and `/admin/coingate/refund-options`
 * (docs/refunds.md), authenticated like the dashboard (session cookie, or its JWT when the store sets
 * `ADMIN_AUTH_TYPE=jwt`).
 */

import type { RefundHistoryEntry as ServerRefundHistoryEntry } from "../../refunds/records"
import type { AdminCoinGateRefund, AdminOrderRefunds, refundOptions } from "../../refunds/views"
import { type BadgeColor, call } from "./coingate-api"

export type { BadgeColor }

// The answers' shapes are the server's own (type-only imports: erased from the browser bundle).
export type RefundHistoryEntry = ServerRefundHistoryEntry
export type CoinGateRefundView = AdminCoinGateRefund
export type OrderRefundsView = AdminOrderRefunds
export type RefundOptions = Awaited<ReturnType<typeof refundOptions>>

/** The refund form as the admin sends it (the server validates it into `RefundInput`, src/refunds/rules/request.ts). */
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
