import type { CoinGateStatus } from "./coingate-types"
import { isPaid } from "./status"

/** What Medusa has for a payment session, as far as deciding the next step needs. */
export type MedusaPaymentState = {
  /** The payment session's status (`pending`, `pending_authorization`, `authorized`, `canceled`, `error`, ...). */
  sessionStatus: string
  /** A payment exists and is captured. */
  captured: boolean
  /** The session belongs to a cart (a checkout), which can be completed into an order. */
  hasCart: boolean
  /** The Medusa order of that cart, if it was placed. */
  orderId: string | null
  orderCanceled: boolean
}

export type Attention = "paid_after_cancellation" | "invalid" | "paid_then_expired"

export type Plan =
  /** Authorize and capture the payment, completing the cart into an order if it has none. */
  | { kind: "capture"; reopenSession: boolean }
  /** Complete the cart into an order awaiting payment (`pending_authorization`). */
  | { kind: "place_order"; reopenSession: boolean }
  /** The invoice is over unpaid: cancel the session, and the order placed for it if any. */
  | { kind: "cancel"; cancelOrder: boolean }
  /** CoinGate says invalid: mark the session failed and ask a person to look. */
  | { kind: "fail"; attention: Attention | null }
  /** Nothing to change in Medusa; remember the status (and ask a person to look, if set). */
  | { kind: "record"; attention?: Attention }

const REOPENABLE = new Set(["canceled", "error"])

/**
 * Decides what a CoinGate status means for Medusa, given what Medusa already has.
 * Pure, and the only place these rules live. The rules that make late, duplicated,
 * reordered or stale callbacks harmless:
 * - a captured payment is never downgraded (`paid` then `expired` stays paid);
 * - a step already taken is not taken again (a second `paid` records only);
 * - a late `paid` on an invoice Medusa had given up on is captured while the checkout
 *   is still open, and flagged for a person when its order was already canceled;
 * - an invoice CoinGate reports `expired`/`canceled` although it carries a `paid_at` (it
 *   was paid, then moved on before the store saw it paid) is neither canceled nor
 *   captured: the money may have arrived, so a person decides.
 */
export function planFor(status: CoinGateStatus, state: MedusaPaymentState, evidence: { paidAt?: string | null } = {}): Plan {
  const reopenSession = REOPENABLE.has(state.sessionStatus)

  if (isPaid(status)) {
    if (state.captured) return { kind: "record" }
    if (state.orderCanceled) return { kind: "record", attention: "paid_after_cancellation" }
    return { kind: "capture", reopenSession }
  }

  switch (status) {
    case "confirming":
      if (state.captured || state.orderId || state.orderCanceled || !state.hasCart) return { kind: "record" }
      return { kind: "place_order", reopenSession }
    case "expired":
    case "canceled": {
      if (state.captured) return { kind: "record" }
      if (evidence.paidAt) return { kind: "record", attention: "paid_then_expired" }
      const cancelOrder = !!state.orderId && !state.orderCanceled
      if (!cancelOrder && state.sessionStatus === "canceled") return { kind: "record" }
      return { kind: "cancel", cancelOrder }
    }
    case "invalid":
      if (state.captured) return { kind: "record", attention: "invalid" }
      return { kind: "fail", attention: state.orderId && !state.orderCanceled ? "invalid" : null }
    default:
      return { kind: "record" }
  }
}

/** How the outcome reads to people: the record's `medusa_state`. */
export type MedusaState = "pending" | "awaiting_payment" | "captured" | "canceled" | "failed" | "orphaned" | "mismatch"

export function describeState(state: MedusaPaymentState): MedusaState {
  if (state.captured) return "captured"
  if (state.orderCanceled || state.sessionStatus === "canceled") return "canceled"
  if (state.sessionStatus === "error") return "failed"
  if (state.orderId) return "awaiting_payment"
  return "pending"
}

/** Whether the plan's goal is reached in the state read back after carrying it out. */
export function isPlanDone(plan: Plan, after: MedusaPaymentState): boolean {
  switch (plan.kind) {
    case "capture":
      return after.captured && (!after.hasCart || !!after.orderId)
    case "place_order":
      return !!after.orderId
    case "cancel":
      return after.sessionStatus === "canceled" && (!plan.cancelOrder || after.orderCanceled)
    case "fail":
      return after.sessionStatus === "error"
    case "record":
      return true
  }
}
