import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CoinGateApiError, CoinGateBudgetError } from "../../../../../../coingate/client"
import { syncSession } from "../../../../../../payments/sync-session"

/**
 * `POST /store/coingate/payment-sessions/:id/sync`: the storefront's return page asks
 * where the payment stands. The backend re-reads the order from CoinGate, applies it,
 * and answers what the page needs to decide between "order placed", "awaiting
 * confirmation" and "try again". Anyone may call it, so it answers from the plugin's
 * record when that is a few seconds fresh or when the public share of CoinGate's request
 * budget is spent (src/payments/sync-session.ts), keeping CoinGate's limit for callbacks.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
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
  const view =
    "fromRecord" in result
      ? { coingate_status: result.fromRecord.status, state: result.fromRecord.medusa_state, cart_id: result.fromRecord.cart_id, order_id: result.fromRecord.order_id }
      : { coingate_status: result.coingateStatus, state: result.medusaState, cart_id: result.cartId, order_id: result.orderId }
  res.json({ payment_session_id: req.params.id, ...view })
}
