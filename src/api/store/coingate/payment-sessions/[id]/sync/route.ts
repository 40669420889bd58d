import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CoinGateApiError, CoinGateBudgetError } from "../../../../../../coingate/client"
import { provesCheckout, syncAnswer, syncFacts } from "../../../../../../sources/public-answer"
import { syncSession } from "../../../../../../sources/sync-session"

/**
 * `POST /store/coingate/payment-sessions/:id/sync`: the storefront's return page asks
 * where the payment stands. The backend re-reads the order from CoinGate, applies it,
 * and answers what the page needs to decide between "order placed", "awaiting
 * confirmation" and "try again". Anyone may call it, so it answers from the plugin's
 * record when that is a few seconds fresh or when the public share of CoinGate's request
 * budget is spent (src/sources/sync-session.ts), keeping CoinGate's limit for callbacks.
 *
 * The session id alone is no secret (CoinGate prints it on the invoice), so it gets the status only. The
 * body's `cart_id`, when it is the session's cart (the storefront has it), also gets `cart_id` and
 * `order_id` (src/sources/public-answer.ts). Another cart id gets the status only, like no cart id.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const claimedCartId = (req.body as Record<string, unknown> | undefined)?.cart_id
  if (claimedCartId !== undefined && claimedCartId !== null && (typeof claimedCartId !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(claimedCartId))) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "`cart_id` must be the id of the cart this payment session belongs to.")
  }
  let result: Awaited<ReturnType<typeof syncSession>>
  try {
    result = await syncSession(req.scope, req.params.id, "storefront")
  } catch (e) {
    if (!(e instanceof CoinGateApiError && e.transient)) throw e
    // CoinGate is slow, down, or not to be asked now: the page should ask again shortly
    // (the callback or reconciliation may settle it meanwhile).
    const retryAfter = e instanceof CoinGateBudgetError ? Math.min(60, Math.max(1, Math.ceil(e.retryAfterMs / 1000))) : 5
    res.status(503).set("Retry-After", String(retryAfter)).json({ type: "coingate_unavailable", message: "CoinGate could not be reached to check the payment; try again in a few seconds." })
    return
  }
  if (!result) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No CoinGate payment session ${req.params.id}`)
  }
  const facts = syncFacts(result)
  const proven = await provesCheckout(req.scope, req.params.id, claimedCartId, facts.cartId)
  res.json(syncAnswer(req.params.id, facts, proven))
}
