/**
 * Why a person must look at a payment or a refund: the closed set of attention reasons
 * the plugin writes to its records' `attention` column, and how the admin names them.
 *
 * No imports, on purpose: the admin extensions (src/admin, bundled by Vite for the
 * browser) import this file too, so the labels live here once.
 */

/** Reasons on a payment record (`coingate_payment.attention`). */
export const PAYMENT_ATTENTION_REASONS = [
  // planFor: paid although Medusa's order was canceled meanwhile.
  "paid_after_cancellation",
  // planFor: expired/canceled at CoinGate but carrying a paid_at the store never saw paid.
  "paid_then_expired",
  // planFor: CoinGate marked the order invalid after an order was placed or captured.
  "invalid",
  // The applier: paid, but Medusa's capture did not succeed yet (reconciliation retries first).
  "paid_not_captured",
  // The applier: paid for a payment session Medusa replaced (the cart changed).
  "paid_for_replaced_session",
  // order-checks.ts: the order read back does not match its session.
  "foreign_order",
  "amount_mismatch",
  "currency_mismatch",
  "unknown_status",
  // refund-mismatch.ts: CoinGate lists refunds Medusa did not make.
  "refund_outside_medusa",
] as const

/** Reasons on a refund or payout record (`coingate_refund.attention`). */
export const REFUND_ATTENTION_REASONS = [
  // refund-status.ts: CoinGate rejected the refund; nothing was sent.
  "refund_rejected",
  // refund-status.ts: the payout ended failed, expired or canceled; nothing was sent.
  "payout_not_sent",
  // The payout asked to confirm an exchange and the plugin's answer to CoinGate failed.
  "payout_exchange_unanswered",
] as const

export type PaymentAttentionReason = (typeof PAYMENT_ATTENTION_REASONS)[number]
export type RefundAttentionReason = (typeof REFUND_ATTENTION_REASONS)[number]
export type AttentionReason = PaymentAttentionReason | RefundAttentionReason

/** A reason and the note that tells the person what happened and what to do. */
export type Attention<R extends AttentionReason = AttentionReason> = { reason: R; note: string }

/** The admin's name for each reason (the note beside it carries the details). */
export const ATTENTION_LABELS: Readonly<Record<AttentionReason, string>> = {
  paid_after_cancellation: "Paid after cancellation",
  paid_then_expired: "Paid, then expired at CoinGate",
  invalid: "Marked invalid by CoinGate",
  paid_not_captured: "Paid, not captured yet",
  paid_for_replaced_session: "Paid for a replaced checkout",
  foreign_order: "CoinGate order of another checkout",
  amount_mismatch: "Amount mismatch",
  currency_mismatch: "Currency mismatch",
  unknown_status: "Unknown CoinGate status",
  refund_outside_medusa: "Refunded outside Medusa",
  refund_rejected: "Refund rejected by CoinGate",
  payout_not_sent: "Payout not sent",
  payout_exchange_unanswered: "Payout exchange left unanswered",
}

export function isAttentionReason(value: unknown): value is AttentionReason {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ATTENTION_LABELS, value)
}

/** The label of a stored reason; a reason this version does not know (an older one's) reads as its words. */
export function attentionLabel(reason: string): string {
  return isAttentionReason(reason) ? ATTENTION_LABELS[reason] : reason.replace(/_/g, " ")
}
