"use strict"
/** A minimal store-API client (global fetch, keep-alive) for the benchmark's checkouts. */

class StoreApi {
  constructor(baseUrl, publishableKey) {
    this.baseUrl = baseUrl.replace(/\/+$/, "")
    this.headers = { "content-type": "application/json", "x-publishable-api-key": publishableKey }
    /** When set, sent as `x-bench-profile` (bench/lib/profile-hook.js attributes the request's work to it). */
    this.tag = null
  }

  async request(method, path, body) {
    let res
    // A 429 (the store's per-process checkout share of CoinGate requests) is tried again after its
    // Retry-After, as a storefront does: the callbacks phase prepares dozens of checkouts at once.
    for (let attempt = 0; ; attempt++) {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: this.tag ? { ...this.headers, "x-bench-profile": this.tag } : this.headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (res.status !== 429 || attempt >= 8) break
      await res.text()
      const seconds = Math.min(60, Math.max(1, Number(res.headers.get("retry-after")) || 1))
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    }
    const text = await res.text()
    let json = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {}
    if (res.status >= 400) {
      const err = new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 300)}`)
      err.status = res.status
      throw err
    }
    return json
  }

  post(path, body = {}) {
    return this.request("POST", path, body)
  }

  get(path) {
    return this.request("GET", path)
  }

  /** A cart with one item, shipped to the demo's address. */
  async createCart({ regionId, variantId, email = "bench@example.com" }) {
    // The demo seed's products need shipping (as in a real store): the demo's German address and its first
    // shipping option, else Medusa refuses to complete the cart ("No shipping method selected").
    const address = { first_name: "Bench", last_name: "Shopper", address_1: "Bench street 1", city: "Berlin", postal_code: "10115", country_code: "de" }
    const { cart } = await this.post("/store/carts", { region_id: regionId, email, items: [{ variant_id: variantId, quantity: 1 }], shipping_address: address, billing_address: address })
    const { shipping_options } = await this.get(`/store/shipping-options?cart_id=${cart.id}`)
    if (!shipping_options?.length) throw new Error("the store has no shipping option for the bench's cart (the demo seed makes one)")
    const { cart: shipped } = await this.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: shipping_options[0].id })
    return shipped
  }

  async createPaymentCollection(cartId) {
    const { payment_collection } = await this.post("/store/payment-collections", { cart_id: cartId })
    return payment_collection
  }

  /** Resolves the new session of `providerId`. */
  async createPaymentSession(collectionId, providerId, data) {
    const { payment_collection } = await this.post(`/store/payment-collections/${collectionId}/payment-sessions`, {
      provider_id: providerId,
      ...(data ? { data } : {}),
    })
    const session = (payment_collection.payment_sessions || []).find((s) => s.provider_id === providerId)
    if (!session) throw new Error(`no ${providerId} session in the payment collection ${collectionId}`)
    return session
  }

  /** Completes the cart; resolves the order (throws unless Medusa placed one). */
  async completeCart(cartId) {
    const out = await this.post(`/store/carts/${cartId}/complete`)
    if (!out || out.type !== "order") {
      throw new Error(`cart ${cartId} did not complete: ${JSON.stringify(out && out.error ? out.error : out).slice(0, 300)}`)
    }
    return out.order
  }
}

module.exports = { StoreApi }

/** The admin API, logged in as the seeded admin user (for capturing system-provider payments). */
class AdminApi extends StoreApi {
  static async login(baseUrl, email, password) {
    const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/auth/user/emailpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    })
    const body = await res.json().catch(() => ({}))
    if (res.status !== 200 || !body.token) throw new Error(`admin login as ${email} failed: ${res.status} ${JSON.stringify(body).slice(0, 200)}`)
    const api = new AdminApi(baseUrl, "")
    api.headers = { "content-type": "application/json", authorization: `Bearer ${body.token}` }
    return api
  }

  async capturePayment(paymentId) {
    const { payment } = await this.post(`/admin/payments/${paymentId}/capture`, {})
    return payment
  }
}

module.exports.AdminApi = AdminApi
