import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { orderRefundsView, refundView } from "../../../../../../refunds/views"
import { startCoinGateRefund } from "../../../../../../refunds/start"
import { sendRefundError } from "../../../../../../refunds/rules/http-errors"
import { requireId } from "../../../params"

/**
 * `GET /admin/coingate/orders/:order_id/refunds`: the refunds and payouts made through CoinGate for the
 * order (status, rejection reason, 2FA, amounts, rates, fees, transactions), the refunds Medusa made on
 * its own that the merchant still has to pay, and what can still be refunded.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  try {
    const orderId = requireId(req.params.order_id, "order_id")
    res.json(await orderRefundsView(req.scope, orderId))
  } catch (e) {
    sendRefundError(res, e)
  }
}

/**
 * `POST /admin/coingate/orders/:order_id/refunds`
 * `{ amount, address, address_memo?, currency_id, platform_id, email?, reason, method: "refund" | "payout",
 *    ledger_account_id?, payment_id?, beneficiary?: { first_name, last_name, country (ISO: LT or LTU) } }`
 * Refunds through CoinGate: CoinGate is asked for a refund or a payout, then Medusa records the refund
 * (the order's totals). 200 with the new record and the order's refunds (`replayed` for a repeated
 * form); 400 with CoinGate's or Medusa's reason when refused (nothing is refunded then); 409 while the
 * same form is in flight or its outcome unknown; 502 `unknown_outcome` when CoinGate's answer was lost
 * (the amount stays reserved until CoinGate is read); 503 when nothing could be sent.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  try {
    const orderId = requireId(req.params.order_id, "order_id")
    const { record, replayed } = await startCoinGateRefund(req.scope, { orderId, body: req.body, actorId: req.auth_context?.actor_id ?? null })
    res.json({ refund: refundView(record), ...(replayed ? { replayed: true } : {}), ...(await orderRefundsView(req.scope, orderId)) })
  } catch (e) {
    sendRefundError(res, e)
  }
}
