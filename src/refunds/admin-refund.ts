import type { MedusaContainer } from "@medusajs/framework/types"
import { startCoinGateRefund } from "./start"
import { orderRefundsView, refundView } from "./views"

/**
 * `POST /admin/coingate/orders/:order_id/refunds`'s answer (docs/refunds.md): the body
 * `{ amount, address, address_memo?, currency_id, platform_id, email?, reason, method: "refund" | "payout",
 *    ledger_account_id?, payment_id?, beneficiary?: { first_name, last_name, country (ISO: LT or LTU) } }`
 * refunds through CoinGate: CoinGate is asked for a refund or a payout, then Medusa records the refund
 * (the order's totals). Answers the new record and the order's refunds (`replayed` for a repeated form).
 * Throws what `sendRefundError` (rules/http-errors.ts) answers: 400 with CoinGate's or Medusa's reason when
 * refused (nothing is refunded then); 409 while the same form is in flight or its outcome unknown; 502
 * `unknown_outcome` when CoinGate's answer was lost (the amount stays reserved until CoinGate is read); 503
 * when nothing could be sent.
 */
export async function refundFromAdmin(container: MedusaContainer, input: { orderId: string; body: unknown; actorId: string | null }) {
  const { record, replayed } = await startCoinGateRefund(container, input)
  return { refund: refundView(record), ...(replayed ? { replayed: true } : {}), ...(await orderRefundsView(container, input.orderId)) }
}
