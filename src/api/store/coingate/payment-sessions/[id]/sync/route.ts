import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CoinGateApiError } from "../../../../../../lib/coingate-client"
import { syncSession } from "../../../../../../sync/sync-session"

/** How often one session may make the backend re-read its order from CoinGate. */
const MIN_INTERVAL_MS = 2000

/**
 * `POST /store/coingate/payment-sessions/:id/sync`: the storefront's return page asks
 * where the payment stands. The backend re-reads the order from CoinGate (at most every
 * two seconds per session), applies it, and answers what the page needs to decide
 * between "order placed", "awaiting confirmation" and "try again".
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  let result: Awaited<ReturnType<typeof syncSession>>
  try {
    result = await syncSession(req.scope, req.params.id, "storefront", { minIntervalMs: MIN_INTERVAL_MS })
  } catch (e) {
    if (!(e instanceof CoinGateApiError && e.transient)) throw e
    // CoinGate is slow or down: the page should ask again shortly (the callback or reconciliation may settle it meanwhile).
    res.status(503).set("Retry-After", "5").json({ type: "coingate_unavailable", message: "CoinGate could not be reached to check the payment; try again in a few seconds." })
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
