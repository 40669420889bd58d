// The few Medusa store API calls the demo checkout makes, with plain fetch.
// Every request carries the publishable key (it selects the sales channel).

export async function loadConfig() {
  const res = await fetch("/config.json", { cache: "no-store" })
  if (!res.ok) throw new Error("config.json is missing: start the demo with `npm run demo`")
  return res.json()
}

export function storeApi(config) {
  return async function call(path, { method = "GET", body } = {}) {
    const res = await fetch(config.backend_url + path, {
      method,
      headers: { "content-type": "application/json", "x-publishable-api-key": config.publishable_key },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const data = await res.json().catch(() => ({}))
    if (!res.ok) throw Object.assign(new Error(data.message || `${method} ${path}: HTTP ${res.status}`), { status: res.status })
    return data
  }
}

/** The CoinGate provider enabled in the region (its id depends on the store's config). */
export async function coingateProviderId(api, regionId) {
  const { payment_providers } = await api(`/store/payment-providers?region_id=${regionId}`)
  const provider = payment_providers.find((p) => p.id.startsWith("pp_coingate_"))
  if (!provider) throw new Error("CoinGate is not enabled in this region")
  return provider.id
}

/**
 * Creates the cart's CoinGate payment session (a new CoinGate invoice; any earlier session
 * of the cart is replaced) and returns it. With flow "order_first" the cart is completed
 * right away, into an order awaiting payment.
 */
export async function startCoinGatePayment(api, { cart, providerId, email, flow }) {
  const returnUrl = `${location.origin}/return.html?cart={cart_id}&session={session_id}`
  let collectionId = cart.payment_collection?.id
  if (!collectionId) {
    const { payment_collection } = await api("/store/payment-collections", { method: "POST", body: { cart_id: cart.id } })
    collectionId = payment_collection.id
  }
  const { payment_collection } = await api(`/store/payment-collections/${collectionId}/payment-sessions`, {
    method: "POST",
    body: {
      provider_id: providerId,
      data: { email, success_url: returnUrl, cancel_url: returnUrl, ...(flow === "order_first" ? { flow } : {}) },
    },
  })
  const session = payment_collection.payment_sessions.find((s) => s.provider_id === providerId)
  if (flow === "order_first") {
    const done = await api(`/store/carts/${cart.id}/complete`, { method: "POST" })
    if (done.type !== "order") throw new Error(done.error?.message || "the order could not be placed")
    session.order_id = done.order.id
  }
  return session
}

/** A new cart with the same items and email (after an order-first order was canceled). */
export async function copyCart(api, cart) {
  const { cart: copy } = await api("/store/carts", {
    method: "POST",
    body: {
      region_id: cart.region_id,
      email: cart.email,
      items: cart.items.map((i) => ({ variant_id: i.variant_id, quantity: i.quantity })),
    },
  })
  return copy
}

export const money = (amount, currency) =>
  new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(amount)
