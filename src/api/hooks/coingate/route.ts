import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { logOrderCallback, takeOrderCallback } from "../../../sources/order-callback"

/**
 * CoinGate's order callbacks (`callback_url`), form-encoded or JSON.
 *
 * Unlike Medusa's `/hooks/payment/...` route, which answers 200 before processing, this
 * route applies the callback before answering, so CoinGate's week of retries is there
 * when something fails:
 * - 200 when processed, and when deliberately ignored (forged, unknown, foreign): a
 *   retry would not change the answer;
 * - 400 for a body that is not a CoinGate callback at all;
 * - 503 when it could not finish for a reason that may pass (CoinGate unreachable, the
 *   database busy), so that CoinGate tries again.
 * Never 301/302/401/403: those stop CoinGate's retries for good.
 *
 * The intake is src/sources/order-callback.ts; each callback is then written to the callback log
 * (src/callback-log/record.ts), after the answer is sent.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const receivedAt = new Date()
  const result = await takeOrderCallback(req.scope, req.body, { via: "plugin_route" })
  res.status(result.status).json(result.body)
  await logOrderCallback(req.scope, req.body, result, receivedAt)
}
