import type { PaymentAttentionReason } from "../../shared/attention"
import type { CoinGateStatus } from "../../coingate/types"
import { policyOf } from "./status-policy"

/**
 * The facts Medusa has for a payment session, read fresh before a plan and again after it:
 * what `planFor` decides on. (Not the one-word summary stored in the record: that is `MedusaState`.)
 */
export type MedusaFacts = {
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

/** The attention reasons a plan itself can raise (the applier adds its own, see attention.ts). */
export type PlanAttention = Extract<PaymentAttentionReason, "paid_after_cancellation" | "invalid" | "paid_then_expired">

export type Plan =
  /** Authorize and capture the payment, completing the cart into an order if it has none. */
  | { kind: "capture"; reopenSession: boolean }
  /** Complete the cart into an order awaiting payment (`pending_authorization`). */
  | { kind: "place_order"; reopenSession: boolean }
  /** The invoice is over unpaid: cancel the session, and the order placed for it if any. */
  | { kind: "cancel"; cancelOrder: boolean }
  /** CoinGate says invalid: mark the session failed and ask a person to look. */
  | { kind: "fail"; attention: PlanAttention | null }
  /**
   * Nothing to change in Medusa (the step is taken already, or the status asks none). The
   * applier still saves the order's status in its record, and asks a person to look if set.
   */
  | { kind: "no_change"; attention?: PlanAttention }

const REOPENABLE = new Set(["canceled", "error"])

/**
 * Decides what a CoinGate status means for Medusa, given what Medusa already has.
 * Pure; the status policy says which step a status asks for (`medusaStep`), this
 * decides whether Medusa's side allows it. The rules that make late, duplicated,
 * reordered or stale callbacks harmless:
 * - a captured payment is never downgraded (`paid` then `expired` stays paid);
 * - a step already taken is not taken again (a second `paid` changes nothing);
 * - a late `paid` on an invoice Medusa had given up on is captured while the checkout
 *   is still open, and flagged for a person when its order was already canceled;
 * - an invoice CoinGate reports `expired`/`canceled` although it carries a `paid_at` (it
 *   was paid, then moved on before the store saw it paid) is neither canceled nor
 *   captured: the money may have arrived, so a person decides.
 */
export function planFor(status: CoinGateStatus, state: MedusaFacts, evidence: { paidAt?: string | null } = {}): Plan {
  const reopenSession = REOPENABLE.has(state.sessionStatus)
  // A status the table does not know asks nothing (the applier flags it `unknown_status` first).
  const step = policyOf(status)?.medusaStep ?? "no_change"

  switch (step) {
    case "capture":
      if (state.captured) return { kind: "no_change" }
      if (state.orderCanceled) return { kind: "no_change", attention: "paid_after_cancellation" }
      return { kind: "capture", reopenSession }
    case "place_order":
      if (state.captured || state.orderId || state.orderCanceled || !state.hasCart) return { kind: "no_change" }
      return { kind: "place_order", reopenSession }
    case "cancel": {
      if (state.captured) return { kind: "no_change" }
      if (evidence.paidAt) return { kind: "no_change", attention: "paid_then_expired" }
      const cancelOrder = !!state.orderId && !state.orderCanceled
      if (!cancelOrder && state.sessionStatus === "canceled") return { kind: "no_change" }
      return { kind: "cancel", cancelOrder }
    }
    case "fail":
      if (state.captured) return { kind: "no_change", attention: "invalid" }
      return { kind: "fail", attention: state.orderId && !state.orderCanceled ? "invalid" : null }
    case "no_change":
      return { kind: "no_change" }
  }
}

/**
 * Where the payment stands in Medusa, in one word: the record's `medusa_state`, which the
 * admin shows and reconciliation reads back (`readsToApply`).
 */
export type MedusaState = "pending" | "awaiting_payment" | "captured" | "canceled" | "failed" | "orphaned" | "mismatch"

export function describeState(state: MedusaFacts): MedusaState {
  if (state.captured) return "captured"
  if (state.orderCanceled || state.sessionStatus === "canceled") return "canceled"
  if (state.sessionStatus === "error") return "failed"
  if (state.orderId) return "awaiting_payment"
  return "pending"
}

/** Whether the plan's goal is reached in the state read back after carrying it out. */
export function isPlanDone(plan: Plan, after: MedusaFacts): boolean {
  switch (plan.kind) {
    case "capture":
      return after.captured && (!after.hasCart || !!after.orderId)
    case "place_order":
      return !!after.orderId
    case "cancel":
      return after.sessionStatus === "canceled" && (!plan.cancelOrder || after.orderCanceled)
    case "fail":
      return after.sessionStatus === "error"
    case "no_change":
      return true
  }
}
