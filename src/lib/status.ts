import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { COINGATE_STATUSES, CoinGateStatus } from "./coingate-types"
import { policyOf } from "./status-policy"

/**
 * What a CoinGate order status means for Medusa's payment session and webhook, read from
 * the status policy (`status-policy.ts`, where each status's row says why).
 *
 * The client rejects an order with a status CoinGate does not list, so an unknown status
 * only reaches these through a caller bypassing the types: it reads as an error, and as an
 * action Medusa's subscriber ignores.
 */
export function toSessionStatus(status: CoinGateStatus, { orderFirst = false }: { orderFirst?: boolean } = {}): PaymentSessionStatus {
  const session = policyOf(status)?.session
  if (!session) return PaymentSessionStatus.ERROR
  return orderFirst ? session.orderFirst : session.redirectFirst
}

/**
 * The webhook action Medusa's own `payment.webhook_received` subscriber acts on.
 * It only acts on `captured` (SUCCESSFUL) and `authorized`; everything else is
 * carried out by the plugin's state applier.
 */
export function toWebhookAction(status: CoinGateStatus): PaymentActions {
  return policyOf(status)?.webhookAction ?? PaymentActions.NOT_SUPPORTED
}

export function isCoinGateStatus(value: unknown): value is CoinGateStatus {
  return typeof value === "string" && (COINGATE_STATUSES as readonly string[]).includes(value)
}

/** Statuses after which CoinGate will not move the order on its own, except a late `paid`. */
export function isFinal(status: CoinGateStatus): boolean {
  return policyOf(status)?.final ?? true
}

/** Paid at some point: the money reached the merchant (refunds are tracked separately). */
export function isPaid(status: CoinGateStatus | string): boolean {
  return policyOf(status)?.paid ?? false
}

/** CoinGate says the order was (partly) refunded (`refunded`, `partially_refunded`). */
export function isRefunded(status: CoinGateStatus | string): boolean {
  return policyOf(status)?.refunded ?? false
}
