import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { syncSession } from "./sync-session"

const OPEN_STATUSES = new Set(["pending", "requires_more", "pending_authorization", "canceled", "error"])
/** CoinGate statuses of an order whose money CoinGate holds or held: no later payment can outrun such a copy. */
const MONEY_HELD = new Set(["confirming", "paid", "partially_refunded", "refunded"])

/**
 * The storefront's own cart completion. Before Medusa's own `POST /store/carts/:id/complete`
 * (the middleware src/api/store/coingate/cart-completion.ts): a cart paying with CoinGate goes through the same
 * apply path as a callback (the order's lock, the plugin's record, one decision). The order is read (or
 * taken from a record synced seconds ago) and applied, which completes the cart when CoinGate says paid;
 * Medusa's route then answers with that order, or authorizes with the order just read instead of reading
 * it again. Any failure here leaves the request to Medusa's route as it is.
 */
export async function syncCartBeforeCompletion(container: MedusaContainer, cartId: string): Promise<void> {
  try {
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "cart",
      fields: ["id", "completed_at", "payment_collection.payment_sessions.id", "payment_collection.payment_sessions.provider_id", "payment_collection.payment_sessions.status"],
      filters: { id: cartId },
    })
    const cart = data[0] as any
    const session = (cart?.payment_collection?.payment_sessions ?? []).find((s: any) => isCoinGateProviderId(s?.provider_id) && OPEN_STATUSES.has(s?.status))
    if (cart && !cart.completed_at && session) {
      const result = await syncSession(container, session.id, "storefront")
      if (result && "fromRecord" in result && result.fromRecord.snapshot) {
        const gateway = coingateGateway(container, session.provider_id)
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
    container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate: cart ${cartId} is completed by Medusa's route alone: ${e?.message ?? e}`)
  }
}
