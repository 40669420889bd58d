import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { answerRefundCallback } from "../../refund-routes"

/**
 * CoinGate's refund callbacks (`callback_url` of a refund made from the admin: `.../refunds/<token>`),
 * form-encoded or JSON. They carry no token of their own: the one in the URL must be derived from the
 * refund's Medusa refund id, then the refund is read from CoinGate's API and only that is applied.
 * 200 processed or ignored, 400 malformed, 503 retry later; never 301/302/401/403. Then written to the
 * callback log (src/callback-log/).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await answerRefundCallback(req, res, "refund")
}
