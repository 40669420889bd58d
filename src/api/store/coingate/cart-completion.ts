import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { withRequestClass } from "../../../coingate/request-budget"
import { syncCartBeforeCompletion } from "../../../sources/cart-completion"

/**
 * Before Medusa's own `POST /store/carts/:id/complete`: a cart paying with CoinGate goes through the
 * apply path first (src/sources/cart-completion.ts); any failure there leaves the request to Medusa's route.
 */
export async function applyCoinGateBeforeCartCompletion(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  await syncCartBeforeCompletion(req.scope, req.params.id)
  // Anyone with the publishable key can ask this: the authorization read Medusa's route may make
  // counts as `checkout` in the request budget, which always leaves the callbacks their reserve.
  withRequestClass("checkout", () => next())
}
