import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { storefrontSync } from "../../../../../../sources/public-answer"

/**
 * `POST /store/coingate/payment-sessions/:id/sync`: the storefront's return page asks where the payment
 * stands (src/sources/public-answer.ts, `storefrontSync`). The session id alone is no secret (CoinGate prints
 * it on the invoice), so it gets the status only; the body's `cart_id`, when it is the session's cart, also
 * gets `cart_id` and `order_id`. Another cart id gets the status only, like no cart id.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const claimedCartId = (req.body as Record<string, unknown> | undefined)?.cart_id
  if (claimedCartId !== undefined && claimedCartId !== null && (typeof claimedCartId !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(claimedCartId))) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "`cart_id` must be the id of the cart this payment session belongs to.")
  }
  const synced = await storefrontSync(req.scope, req.params.id, claimedCartId)
  if (!synced) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No CoinGate payment session ${req.params.id}`)
  }
  if ("retryAfterSeconds" in synced) {
    res.status(503).set("Retry-After", String(synced.retryAfterSeconds)).json({ type: "coingate_unavailable", message: "CoinGate could not be reached to check the payment; try again in a few seconds." })
    return
  }
  res.json(synced.answer)
}
