import type { BigNumberInput } from "@medusajs/framework/types"
import { isSameAmount } from "../../shared/amounts"
import type { CoinGateOrder } from "../../coingate/types"
import { isCoinGateStatus } from "../../coingate/types"

export type OrderMismatch = "foreign_order" | "amount_mismatch" | "currency_mismatch" | "unknown_status"

/**
 * Checks a CoinGate order read from the API against the Medusa payment session it
 * claims to pay: it must name the session as its `order_id`, and ask for the session's
 * amount in the session's currency. Returns what is wrong, or null.
 */
export function checkOrderMatchesSession(
  order: Pick<CoinGateOrder, "order_id" | "price_amount" | "price_currency" | "status">,
  session: { id: string; amount: BigNumberInput; currency_code: string }
): OrderMismatch | null {
  if (String(order.order_id ?? "") !== session.id) {
    return "foreign_order"
  }
  if (String(order.price_currency ?? "").toUpperCase() !== session.currency_code.toUpperCase()) {
    return "currency_mismatch"
  }
  if (!isSameAmount(order.price_amount, session.amount, session.currency_code)) {
    return "amount_mismatch"
  }
  if (!isCoinGateStatus(order.status)) {
    return "unknown_status"
  }
  return null
}

/**
 * The same check against what the provider knows of a session: its data (`session_id` and
 * the `price_amount`/`price_currency` asked at creation). Without a recorded price only the
 * session is checked.
 */
export function checkOrderMatchesSessionData(
  order: Pick<CoinGateOrder, "order_id" | "price_amount" | "price_currency" | "status">,
  data: { session_id?: string; price_amount?: string; price_currency?: string }
): OrderMismatch | null {
  const id = String(data.session_id ?? "")
  if (data.price_amount && data.price_currency) {
    return checkOrderMatchesSession(order, { id, amount: data.price_amount, currency_code: data.price_currency })
  }
  return String(order.order_id ?? "") !== id ? "foreign_order" : null
}
