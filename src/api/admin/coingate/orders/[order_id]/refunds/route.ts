import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refundFromAdmin } from "../../../../../../refunds/admin-refund"
import { orderRefundsView } from "../../../../../../refunds/views"
import { sendRefundError } from "../../../../../../refunds/rules/http-errors"
import { requireId } from "../../../params"

/**
 * `GET /admin/coingate/orders/:order_id/refunds`: the order's refunds and payouts made through CoinGate,
 * the refunds Medusa made on its own that the merchant still has to pay, and what can still be refunded.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  try {
    res.json(await orderRefundsView(req.scope, requireId(req.params.order_id, "order_id")))
  } catch (e) {
    sendRefundError(res, e)
  }
}

/** `POST /admin/coingate/orders/:order_id/refunds`: a refund or payout through CoinGate (src/refunds/admin-refund.ts). */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  try {
    const orderId = requireId(req.params.order_id, "order_id")
    res.json(await refundFromAdmin(req.scope, { orderId, body: req.body, actorId: req.auth_context?.actor_id ?? null }))
  } catch (e) {
    sendRefundError(res, e)
  }
}
