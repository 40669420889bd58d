/**
 * The return page's state machine: what to show for each answer of
 * `POST /store/coingate/payment-sessions/:id/sync` (the backend re-reads the invoice from CoinGate;
 * the page's address says only which cart and session to look at, never what happened).
 */

/** The sync route's answer. */
export type SyncAnswer = {
  payment_session_id?: string
  /** CoinGate's status of the invoice: new, pending, confirming, paid, invalid, expired, canceled, refunded, partially_refunded. */
  coingate_status: string | null
  /** Where the payment stands in Medusa: pending, awaiting_payment, captured, canceled, failed, orphaned, mismatch. */
  state: string | null
  /** Only when the request named the session's cart (`syncPayment(client, sessionId, cartId)`). */
  cart_id?: string | null
  order_id?: string | null
}

export type ReturnViewKind =
  /** Paid and the order placed: show the order. Final. */
  | "placed"
  /** The order is placed; the network is confirming the payment (or it is paid and being recorded). */
  | "confirming"
  /** CoinGate saw the payment (confirming/paid) and the order is not placed yet: complete the cart. */
  | "placing"
  /** The shopper chose a coin; the payment has not reached the network yet. */
  | "awaiting_payment"
  /** CoinGate has seen nothing: the shopper may go back to the invoice, or start again. */
  | "not_paid"
  /** Expired, canceled, invalid, or not matched: start a new payment. Final. */
  | "failed"

export type ReturnView = {
  kind: ReturnViewKind
  title: string
  message: string
  /** Stop polling: nothing will change on its own. */
  final: boolean
  /** Call `POST /store/carts/:id/complete` (the watcher does it at most once per CoinGate status). */
  completeCart: boolean
  /** Offer a link back to the CoinGate invoice (it can still be paid). */
  showInvoice: boolean
  /** Offer "Try again" (a new invoice for the cart, or for a copy of a canceled order's cart). */
  showRetry: boolean
  /** The CoinGate status this view was decided on (the highest seen so far). */
  coingateStatus: string | null
  orderId: string | null
}

/** How far CoinGate got; an answer from a stale record never takes the page back. */
const PROGRESS: Record<string, number> = { new: 0, pending: 1, confirming: 2, paid: 3 }
const FAILED_STATES = new Set(["canceled", "failed", "orphaned", "mismatch"])
const FAILED_STATUSES = new Set(["invalid", "expired", "canceled"])

/** The further of two statuses on new → pending → confirming → paid (anything else is taken as it is). */
export function furtherStatus(previous: string | null | undefined, next: string | null | undefined): string | null {
  if (!next) return previous ?? null
  if (previous && PROGRESS[previous] !== undefined && PROGRESS[next] !== undefined && PROGRESS[previous] > PROGRESS[next]) return previous
  return next
}

const view = (kind: ReturnViewKind, title: string, message: string, extra: Partial<ReturnView>, status: string | null, orderId: string | null): ReturnView => ({
  kind,
  title,
  message,
  final: false,
  completeCart: false,
  showInvoice: false,
  showRetry: false,
  coingateStatus: status,
  orderId,
  ...extra,
})

/**
 * What the page shows for a sync answer, given the furthest CoinGate status it has already seen
 * (`previousStatus`): once CoinGate reported anything beyond `new`, the page never says it has
 * seen nothing.
 */
export function returnView(answer: SyncAnswer, previousStatus: string | null = null): ReturnView {
  const status = furtherStatus(previousStatus, answer.coingate_status)
  const orderId = answer.order_id ?? null
  const state = answer.state ?? "pending"
  if (state === "captured" && orderId) {
    return view("placed", "Order placed", "Your crypto payment is confirmed. Thank you!", { final: true }, status, orderId)
  }
  if (FAILED_STATES.has(state) || (status && FAILED_STATUSES.has(status))) {
    // Why: CoinGate's status says it; else Medusa's state. A canceled session whose answer still carries
    // `new` or `pending` (the record a few seconds old while the callback cancels the order) closed unpaid:
    // it is not a payment the shop must look into.
    const why =
      ({ expired: "The invoice expired before it was paid in full.", canceled: "The payment was canceled.", invalid: "CoinGate could not confirm the payment." } as Record<string, string>)[
        status ?? ""
      ] ??
      (state === "canceled" ? "The invoice was closed unpaid." : "The payment could not be matched to this order; the shop will look into it.")
    return view("failed", "Payment not completed", orderId ? `${why} Your order was canceled.` : why, { final: true, showRetry: true }, status, orderId)
  }
  if (status === "confirming" || status === "paid" || status === "refunded" || status === "partially_refunded") {
    if (orderId) {
      return view("confirming", "Order placed, payment confirming", "The network is confirming your payment. Your order is placed and will be confirmed automatically; you can close this page.", {}, status, orderId)
    }
    return view("placing", "Payment received", "Payment received, placing your order…", { completeCart: true }, status, orderId)
  }
  if (status === "pending") {
    return view(
      "awaiting_payment",
      orderId ? "Order placed, awaiting payment" : "Waiting for your payment",
      "Your payment has not reached the network yet. This page updates by itself; if you have not sent it, finish paying on the CoinGate page.",
      { showInvoice: true },
      status,
      orderId
    )
  }
  return view(
    "not_paid",
    orderId ? "Order placed, awaiting payment" : "Awaiting payment",
    orderId ? "Your order is placed and awaiting payment: finish paying on the CoinGate page." : "CoinGate has not seen your payment yet.",
    { showInvoice: true, showRetry: !orderId },
    status,
    orderId
  )
}
