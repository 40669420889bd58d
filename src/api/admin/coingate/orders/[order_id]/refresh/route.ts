import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { orderView } from "../../../../../../console/admin-views"
import { refreshOrderPayments } from "../../../../../../sources/admin-refresh"
import { requireId } from "../../../params"

/**
 * `POST /admin/coingate/orders/:order_id/refresh`: re-reads each CoinGate order of the Medusa order and
 * applies it (src/sources/admin-refresh.ts), then answers the same view as GET plus what each refresh did
 * (`refreshed[]`, with an `error` for a CoinGate order that cannot be read now).
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderId = requireId(req.params.order_id, "order_id")
  const refreshed = await refreshOrderPayments(req.scope, orderId)
  res.json({ ...(await orderView(req.scope, orderId)), refreshed })
}
