// The demo pages' store API access: the package's storefront helper (src/storefront, served by the
// demo as /lib/coingate-storefront.js) plus the few plain calls the demo makes itself.
import { storeClient } from "/lib/coingate-storefront.js"

export async function loadConfig() {
  const res = await fetch("/config.json", { cache: "no-store" })
  if (!res.ok) throw new Error("config.json is missing: start the demo with `npm run demo`")
  return res.json()
}

/** The store API client: every request carries the publishable key (it selects the sales channel). */
export function storeApi(config) {
  return storeClient({ backendUrl: config.backend_url, publishableKey: config.publishable_key })
}

/** Where CoinGate sends the shopper back (through the store's /coingate/return/:session_id). */
export const returnUrl = () => `${location.origin}/return.html?cart={cart_id}&session={session_id}`

/** The demo ships to a fixed address in Germany (a real shop asks): the cart's first shipping option. */
export async function addShipping(api, cartId) {
  const address = { first_name: "Demo", last_name: "Shopper", address_1: "Demo street 1", city: "Berlin", postal_code: "10115", country_code: "de" }
  await api(`/store/carts/${cartId}`, { method: "POST", body: { shipping_address: address, billing_address: address } })
  const { shipping_options } = await api(`/store/shipping-options?cart_id=${cartId}`)
  if (!shipping_options.length) throw new Error("the store has no shipping option for this cart (run the demo seed)")
  const { cart } = await api(`/store/carts/${cartId}/shipping-methods`, { method: "POST", body: { option_id: shipping_options[0].id } })
  return cart
}

/** A new cart with the same items and email (after an order-first order was canceled), shipping included. */
export async function copyCart(api, cart) {
  const { cart: copy } = await api("/store/carts", {
    method: "POST",
    body: {
      region_id: cart.region_id,
      email: cart.email,
      items: cart.items.map((i) => ({ variant_id: i.variant_id, quantity: i.quantity })),
    },
  })
  return addShipping(api, copy.id)
}

/** The cart the shopper last checked out (the demo's "cart cookie"). */
export const lastCart = {
  get: () => localStorage.getItem("coingate_demo_cart"),
  set: (id) => localStorage.setItem("coingate_demo_cart", id),
  clear: () => localStorage.removeItem("coingate_demo_cart"),
}

export const money = (amount, currency) =>
  new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(amount)
