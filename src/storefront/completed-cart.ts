import { StoreApiError, type StoreClient } from "./client"

export type CartCheck =
  /** The cart can still be shopped with. */
  | { kind: "open"; cartId: string }
  /** The cart became an order while the shopper was away (a CoinGate callback completed it): clear the cart cookie, show the order. */
  | { kind: "completed"; cartId: string; orderId: string | null; displayId: number | null }
  /** No such cart (deleted, or another store's): clear the cart cookie. */
  | { kind: "missing"; cartId: string }

/**
 * Whether the storefront's cart (its cart cookie) is still a cart. A shopper who pays and closes the
 * tab never reaches the return page; CoinGate's callback then completes the cart on the backend, and
 * a storefront that keeps the cookie fails at "Add to cart" (Cart already completed). Call this where
 * the storefront reads its cart (layout, cart page, add to cart) and clear the cookie unless "open".
 * For a completed cart, `POST /store/carts/:id/complete` answers its existing order (Medusa returns the
 * order of a completed cart; it never places a second one), which gives the order to show.
 */
export async function checkCart(client: StoreClient, cartId: string): Promise<CartCheck> {
  let cart: { id: string; completed_at?: string | null }
  try {
    cart = (await client<{ cart: typeof cart }>(`/store/carts/${encodeURIComponent(cartId)}?fields=id,completed_at`)).cart
  } catch (e) {
    if (e instanceof StoreApiError && (e.status === 404 || e.status === 400)) return { kind: "missing", cartId }
    throw e
  }
  if (!cart?.completed_at) return { kind: "open", cartId }
  try {
    const done = await client<{ type: string; order?: { id: string; display_id?: number } }>(`/store/carts/${encodeURIComponent(cartId)}/complete`, { method: "POST" })
    if (done.type === "order" && done.order) {
      return { kind: "completed", cartId, orderId: done.order.id, displayId: typeof done.order.display_id === "number" ? done.order.display_id : null }
    }
  } catch {
    // The order could not be read now; the cart is still not to be shopped with.
  }
  return { kind: "completed", cartId, orderId: null, displayId: null }
}
