import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { orderRefundsView } from "../../../../../../../refunds/views"
import { checkOrderIntents } from "../../../../../../../refunds/check"
import { sendRefundError } from "../../../../../../../refunds/rules/http-errors"
import { requireId } from "../../../../params"

/**
 * `POST /admin/coingate/orders/:order_id/refunds/check` ("Check CoinGate"): resolves the order's refunds
 * and payouts of unknown outcome by reading CoinGate (src/refunds/resolve.ts), each payment inside its
 * lock, and answers the same view as GET.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  try {
    const orderId = requireId(req.params.order_id, "order_id")
    await checkOrderIntents(req.scope, orderId)
    res.json(await orderRefundsView(req.scope, orderId))
  } catch (e) {
    sendRefundError(res, e)
  }
}
