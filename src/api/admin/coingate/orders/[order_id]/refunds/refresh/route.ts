import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { orderRefundsView } from "../../../../../../../refunds/views"
import { refreshOrderRefunds } from "../../../../../../../refunds/remote"
import { sendRefundError } from "../../../../../../../refunds/rules/http-errors"
import { requireId } from "../../../../params"

/**
 * `POST /admin/coingate/orders/:order_id/refunds/refresh`: re-reads the order's open refunds and payouts
 * from CoinGate (a lost callback) and answers the same view as GET.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  try {
    const orderId = requireId(req.params.order_id, "order_id")
    await refreshOrderRefunds(req.scope, orderId)
    res.json(await orderRefundsView(req.scope, orderId))
  } catch (e) {
    sendRefundError(res, e)
  }
}
