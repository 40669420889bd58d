"use strict"
/**
 * The two flows the compatibility suite drives on a host store, over HTTP only (the store is
 * another process, with the plugin installed from its tarball), the way a storefront, CoinGate
 * and an admin do:
 *
 *   paidCheckout:   cart -> payment collection -> CoinGate session -> the shopper pays on the
 *                   simulator (a `confirming` callback, then `paid`) -> the callback alone completes
 *                   the cart into an order whose payment is captured, exactly once
 *   expiredInvoice: cart -> CoinGate session -> the invoice expires (callback) -> the session is
 *                   canceled, the cart stays open, no order
 *
 * Each returns a short description of what it saw and throws an Error saying what was wrong.
 */

const PROVIDER_ID = "pp_coingate_coingate"

/** A JSON client of one Medusa store. */
function storeClient(baseUrl, { publishableKey } = {}) {
  let adminToken = null
  async function call(method, path, { body, admin = false } = {}) {
    const headers = { "content-type": "application/json" }
    if (publishableKey && !admin) headers["x-publishable-api-key"] = publishableKey
    if (admin && adminToken) headers.authorization = `Bearer ${adminToken}`
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    let data
    try {
      data = text ? JSON.parse(text) : {}
    } catch {
      data = { raw: text.slice(0, 300) }
    }
    if (!res.ok) {
      throw new Error(`${method} ${path}: HTTP ${res.status} ${data.message || data.raw || ""}`.trim())
    }
    return data
  }
  return {
    get: (path, opts) => call("GET", path, opts),
    post: (path, body, opts) => call("POST", path, { ...opts, body }),
    async login(email, password) {
      const { token } = await call("POST", "/auth/user/emailpass", { body: { email, password } })
      if (!token) throw new Error("admin login answered no token")
      adminToken = token
    },
  }
}

async function waitFor(what, probe, { timeoutMs = 30_000, everyMs = 250 } = {}) {
  const until = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (err) {
      if (err.fatal) throw err
      last = err
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** A cart of one seeded product with a CoinGate payment session. */
async function startCheckout(api, { regionId, variantId, email }) {
  const { cart } = await api.post("/store/carts", { region_id: regionId, email, items: [{ variant_id: variantId, quantity: 1 }] })
  // The seeded products ship: an address in the region and its shipping option, as a storefront's checkout sets them.
  const { region } = await api.get(`/store/regions/${regionId}`)
  const country = region.countries && region.countries[0] && region.countries[0].iso_2
  if (!country) throw new Error(`region ${regionId} has no country`)
  await api.post(`/store/carts/${cart.id}`, {
    shipping_address: { first_name: "Compat", last_name: "Shopper", address_1: "1 Test street", city: "Testville", postal_code: "10115", country_code: country },
  })
  const { shipping_options: options } = await api.get(`/store/shipping-options?cart_id=${cart.id}`)
  if (!options || !options.length) throw new Error(`no shipping option for cart ${cart.id}`)
  await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: options[0].id })
  const { payment_collection: pc } = await api.post("/store/payment-collections", { cart_id: cart.id })
  const { payment_collection } = await api.post(`/store/payment-collections/${pc.id}/payment-sessions`, {
    provider_id: PROVIDER_ID,
    data: { email },
  })
  const session = (payment_collection.payment_sessions || []).find((s) => s.provider_id === PROVIDER_ID)
  if (!session) throw new Error(`no ${PROVIDER_ID} session in the payment collection`)
  const orderId = session.data && session.data.coingate_order_id
  if (!orderId) throw new Error(`the session's data has no coingate_order_id: ${JSON.stringify(session.data)}`)
  if (!session.data.payment_url) throw new Error("the session's data has no payment_url")
  return { cart, session, coingateOrderId: orderId }
}

/** Callback attempts the simulator made for a CoinGate order, with the status they carried. */
function callbacksOf(sim, coingateOrderId) {
  return sim.callbackLog.filter((c) => String(c.orderId) === String(coingateOrderId))
}

function expectAnswered(sim, coingateOrderId, status) {
  const attempts = callbacksOf(sim, coingateOrderId).filter((c) => c.body && c.body.status === status)
  if (attempts.length === 0) throw new Error(`the simulator sent no \`${status}\` callback`)
  const first = attempts[0]
  if (first.status !== 200) {
    throw new Error(`the \`${status}\` callback was answered ${first.status}${first.response ? `: ${String(first.response).slice(0, 200)}` : ""}`)
  }
}

async function ordersByEmail(api, email) {
  const { orders } = await api.get(`/admin/orders?fields=id,email,status,payment_status&limit=100`, { admin: true })
  return orders.filter((o) => o.email === email)
}

async function paidCheckout({ api, sim, seed }) {
  const email = `compat-paid-${Date.now()}@example.com`
  const { cart, session, coingateOrderId } = await startCheckout(api, { ...seed, email })

  // The shopper pays: CoinGate reports `confirming` first (pending_authorization in Medusa), then `paid`.
  await sim.pay(coingateOrderId, { confirm: false })
  expectAnswered(sim, coingateOrderId, "confirming")
  await sim.pay(coingateOrderId)
  expectAnswered(sim, coingateOrderId, "paid")

  // No return, no cart completion by the storefront: the callback alone places the order.
  const completed = await waitFor("the cart to be completed by the callback", async () => {
    const { cart: c } = await api.get(`/store/carts/${cart.id}?fields=id,completed_at`)
    return c.completed_at ? c : null
  })
  const [order, ...more] = await waitFor("the order in the admin", async () => {
    const found = await ordersByEmail(api, email)
    return found.length ? found : null
  })
  if (more.length) throw new Error(`${1 + more.length} orders for one checkout`)
  const { order: full } = await api.get(
    `/admin/orders/${order.id}?fields=id,payment_status,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures`,
    { admin: true }
  )
  const payments = (full.payment_collections || []).flatMap((c) => c.payments || [])
  if (payments.length !== 1) throw new Error(`the order has ${payments.length} payments, expected 1`)
  const [payment] = payments
  if (payment.provider_id !== PROVIDER_ID) throw new Error(`the order's payment is ${payment.provider_id}, expected ${PROVIDER_ID}`)
  if (!payment.captured_at || (payment.captures || []).length !== 1) {
    throw new Error(`the payment is not captured once (captured_at ${payment.captured_at}, ${(payment.captures || []).length} captures)`)
  }
  if (full.payment_status !== "captured") throw new Error(`the order's payment_status is ${full.payment_status}, expected captured`)

  // The plugin's admin route sees the same order through its own record.
  const view = await api.get(`/admin/coingate/orders/${order.id}`, { admin: true })
  const record = (view.payments || [])[0]
  if (!record || String(record.coingate_order_id) !== String(coingateOrderId) || record.status !== "paid") {
    throw new Error(`GET /admin/coingate/orders/${order.id} does not show CoinGate order ${coingateOrderId} paid: ${JSON.stringify(view).slice(0, 300)}`)
  }
  // The session's public data stayed public (no token).
  const token = sim.getOrder(coingateOrderId).token
  if (JSON.stringify(session).includes(token)) throw new Error("the payment session's data contains the CoinGate order's token")
  return `paid: confirming+paid callbacks answered 200, cart ${completed.id} -> order ${order.id}, payment captured once`
}

async function expiredInvoice({ api, sim, seed }) {
  const email = `compat-expired-${Date.now()}@example.com`
  const { cart, session, coingateOrderId } = await startCheckout(api, { ...seed, email })
  await sim.setStatus(coingateOrderId, "expired")
  expectAnswered(sim, coingateOrderId, "expired")
  const canceled = await waitFor("the payment session to be canceled", async () => {
    const { cart: c } = await api.get(`/store/carts/${cart.id}?fields=id,completed_at,*payment_collection,*payment_collection.payment_sessions`)
    const s = ((c.payment_collection && c.payment_collection.payment_sessions) || []).find((x) => x.id === session.id)
    if (c.completed_at) throw Object.assign(new Error(`the cart of an expired invoice was completed`), { fatal: true })
    return s && s.status === "canceled" ? s : null
  })
  if (canceled.data && canceled.data.coingate_status !== "expired") {
    throw new Error(`the canceled session says coingate_status ${canceled.data.coingate_status}, expected expired`)
  }
  const orders = await ordersByEmail(api, email)
  if (orders.length) throw new Error(`an expired invoice produced ${orders.length} order(s)`)
  return `expired: callback answered 200, session canceled, cart open, no order`
}

module.exports = { storeClient, paidCheckout, expiredInvoice, waitFor, PROVIDER_ID }
