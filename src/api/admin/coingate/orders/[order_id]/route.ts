import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { orderView } from "../../../../../console/admin-views"
import { requireId } from "../../params"

/**
 * `GET /admin/coingate/orders/:order_id`: the CoinGate side of a Medusa order (what the
 * order page's widget shows). Answers `{ order_id, payments: [] }` for an order paid
 * otherwise, 404 for an unknown order.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderId = requireId(req.params.order_id, "order_id")
  res.json(await orderView(req.scope, orderId))
}
