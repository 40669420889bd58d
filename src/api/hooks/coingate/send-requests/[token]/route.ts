import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { answerRefundCallback } from "../../refund-routes"

/**
 * CoinGate's send-request (payout) callbacks (`.../send-requests/<token>`), form-encoded or JSON. The URL
 * token must be derived from the send request's `external_id` (the Medusa refund id); the send request is
 * then read from CoinGate's API and only that is applied, answering a currency exchange CoinGate asks to
 * confirm. 200 processed or ignored, 400 malformed, 503 retry later; never 301/302/401/403. Then written
 * to the callback log (src/callback-log/).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await answerRefundCallback(req, res, "payout")
}
