import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { coingateGateway, isCoinGateProviderId } from "../../../gateway/index"
import { syncSession } from "../../../sources/sync-session"
import { withRequestClass } from "../../../coingate/request-budget"

const OPEN_STATUSES = new Set(["pending", "requires_more", "pending_authorization", "canceled", "error"])
/** CoinGate statuses of an order whose money CoinGate holds or held: no later payment can outrun such a copy. */
const MONEY_HELD = new Set(["confirming", "paid", "partially_refunded", "refunded"])

/**
 * Before Medusa's own `POST /store/carts/:id/complete`: a cart paying with CoinGate goes through the same
 * apply path as a callback (the order's lock, the plugin's record, one decision). The order is read (or
 * taken from a record synced seconds ago) and applied, which completes the cart when CoinGate says paid;
 * Medusa's route then answers with that order, or authorizes with the order just read instead of reading
 * it again. Any failure here leaves the request to Medusa's route as it is.
 */
export async function applyCoinGateBeforeCartCompletion(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "cart",
      fields: ["id", "completed_at", "payment_collection.payment_sessions.id", "payment_collection.payment_sessions.provider_id", "payment_collection.payment_sessions.status"],
      filters: { id: req.params.id },
    })
    const cart = data[0] as any
    const session = (cart?.payment_collection?.payment_sessions ?? []).find((s: any) => isCoinGateProviderId(s?.provider_id) && OPEN_STATUSES.has(s?.status))
    if (cart && !cart.completed_at && session) {
      const result = await syncSession(req.scope, session.id, "storefront")
      if (result && "fromRecord" in result && result.fromRecord.snapshot) {
        const gateway = coingateGateway(req.scope, session.provider_id)
        const snapshot = result.fromRecord.snapshot
        // A record's copy synced seconds ago stands in for a read only once CoinGate holds the money: a
        // pre-payment copy (from a storefront check, or the session route's invoice reuse check) may be
        // older than the payment the shopper just made, before its callback; authorizing on it would
        // refuse the cart. Then the authorization reads CoinGate once, and nothing older is remembered.
        if (MONEY_HELD.has(String(snapshot.status))) gateway.rememberVerifiedOrder(snapshot, result.fromRecord.last_synced_at)
        else gateway.forgetRememberedOrder(snapshot.id)
      }
    }
  } catch (e: any) {
    req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate: cart ${req.params.id} is completed by Medusa's route alone: ${e?.message ?? e}`)
  }
  // Anyone with the publishable key can ask this: the authorization read Medusa's route may make
  // counts as `checkout` in the request budget, which always leaves the callbacks their reserve.
  withRequestClass("checkout", () => next())
}
