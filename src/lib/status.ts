import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { COINGATE_STATUSES, CoinGateStatus } from "./coingate-types"

/**
 * The one mapping from a CoinGate order status to the Medusa payment session status.
 *
 * - `paid`: CoinGate has settled the funds; there is no separate capture, so the
 *   payment is authorized and captured at once.
 * - `confirming`: the payment is seen on chain but not final. `pending_authorization`
 *   lets Medusa place the order now; `paid` captures it later.
 * - `new`/`pending`: the shopper has not paid (yet). With `orderFirst` (the storefront
 *   asked for the order-first flow, session data `flow: "order_first"`) this is
 *   `pending_authorization`, so completing the cart places the order awaiting payment
 *   before the shopper is sent to CoinGate; `paid` captures it, `expired` cancels it.
 * - `expired`/`canceled`: the invoice is over unpaid (CoinGate can still turn it into
 *   `paid` if funds arrive late; the state applier handles that).
 * - `invalid`: not confirmed by the network or held for compliance: an error.
 * - `refunded`/`partially_refunded`: the order was paid, then (partly) refunded;
 *   the payment stays captured and the refund is tracked on its own.
 */
export function toSessionStatus(status: CoinGateStatus, { orderFirst = false }: { orderFirst?: boolean } = {}): PaymentSessionStatus {
  switch (status) {
    case "paid":
    case "refunded":
    case "partially_refunded":
      return PaymentSessionStatus.CAPTURED
    case "confirming":
      return PaymentSessionStatus.PENDING_AUTHORIZATION
    case "new":
    case "pending":
      return orderFirst ? PaymentSessionStatus.PENDING_AUTHORIZATION : PaymentSessionStatus.PENDING
    case "expired":
    case "canceled":
      return PaymentSessionStatus.CANCELED
    case "invalid":
      return PaymentSessionStatus.ERROR
  }
}

/**
 * The webhook action Medusa's own `payment.webhook_received` subscriber acts on.
 * It only acts on `captured` (SUCCESSFUL) and `authorized`; everything else is
 * carried out by the plugin's state applier.
 */
export function toWebhookAction(status: CoinGateStatus): PaymentActions {
  switch (toSessionStatus(status)) {
    case PaymentSessionStatus.CAPTURED:
      return PaymentActions.SUCCESSFUL
    case PaymentSessionStatus.PENDING_AUTHORIZATION:
      return PaymentActions.PENDING_AUTHORIZATION
    case PaymentSessionStatus.CANCELED:
      return PaymentActions.CANCELED
    case PaymentSessionStatus.ERROR:
      return PaymentActions.FAILED
    default:
      return PaymentActions.PENDING
  }
}

export function isCoinGateStatus(value: unknown): value is CoinGateStatus {
  return typeof value === "string" && (COINGATE_STATUSES as readonly string[]).includes(value)
}

/** Statuses after which CoinGate will not move the order on its own, except a late `paid`. */
export function isFinal(status: CoinGateStatus): boolean {
  return status !== "new" && status !== "pending" && status !== "confirming"
}

/** Paid at some point: the money reached the merchant (refunds are tracked separately). */
export function isPaid(status: CoinGateStatus): boolean {
  return status === "paid" || status === "refunded" || status === "partially_refunded"
}
