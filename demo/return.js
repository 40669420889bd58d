// The return page: where CoinGate sends the shopper back (through the store's
// /coingate/return/:session_id, which fills in ?cart=...&session=...).
//
// The query string only says WHICH cart and session to look at, never what happened:
// anyone can type ?paid=true. The outcome always comes from the store, which re-reads the
// order from CoinGate: POST /store/coingate/payment-sessions/:id/sync.
import { copyCart, loadConfig, startCoinGatePayment, storeApi } from "./store-api.js"

const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
const config = await loadConfig()
const api = storeApi(config)

const FAILED = ["canceled", "failed", "orphaned", "mismatch"]
const POLL_BUDGET_MS = 3 * 60_000

let cart = null
let session = null
let completing = false

/** What the page shows for a sync answer: { state: placed | awaiting | failed, title, detail, final }. */
function decide(s) {
  if (s.state === "captured" && s.order_id) {
    return { state: "placed", title: "Order placed", detail: "Your crypto payment is confirmed. Thank you!", final: true }
  }
  if (FAILED.includes(s.state)) {
    const why = {
      expired: "The invoice expired before it was paid in full.",
      canceled: "The payment was canceled.",
      invalid: "CoinGate could not confirm the payment.",
    }[s.coingate_status] || "The payment could not be matched to this order; the shop will look into it."
    const order = s.order_id ? " Your order was canceled." : ""
    return { state: "failed", title: "Payment not completed — try again", detail: why + order, final: true }
  }
  const unpaid = s.coingate_status === "new" || s.coingate_status === "pending"
  if (s.state === "awaiting_payment") {
    // An order exists but is not paid yet: CoinGate is confirming, or (order first) the invoice is open.
    return unpaid
      ? { state: "awaiting", title: "Awaiting confirmation", detail: "Your order is placed and awaiting payment: finish paying on the CoinGate page.", invoice: true }
      : { state: "awaiting", title: "Awaiting confirmation", detail: "Your payment is on its way: the network is confirming it. Your order is placed and will be confirmed automatically." }
  }
  if (!unpaid) {
    // Paid or confirming, order not placed yet (redirect first): complete the cart.
    return { state: "awaiting", title: "Awaiting confirmation", detail: "Payment received, placing your order…", complete: true }
  }
  return { state: "awaiting", title: "Awaiting confirmation", detail: "CoinGate has not seen your payment yet.", invoice: true, retry: true }
}

function render(view, s) {
  $("result").dataset.state = view.state
  $("title").textContent = view.title
  $("detail").textContent = view.detail
  $("order").hidden = !s.order_id
  $("order-id").textContent = s.order_id || ""
  if (s.order_id && config.admin_url) {
    $("admin-link").href = `${config.admin_url}/orders/${s.order_id}`
    $("admin-link").hidden = false
  }
  $("status-line").textContent = `CoinGate status: ${s.coingate_status || "unknown"} · store: ${s.state}`
  const paymentUrl = session?.data?.payment_url
  $("back-to-invoice").hidden = !(view.invoice && paymentUrl)
  if (paymentUrl) $("back-to-invoice").href = paymentUrl
  $("retry").hidden = !(view.state === "failed" || view.retry)
}

async function loadCart(id) {
  const fields = "+payment_collection.payment_sessions.data"
  return (await api(`/store/carts/${id}?fields=${encodeURIComponent(fields)}`)).cart
}

const coingateSessionOf = (c) => c?.payment_collection?.payment_sessions?.find((s) => s.provider_id.startsWith("pp_coingate_"))

async function sync(sessionId) {
  return api(`/store/coingate/payment-sessions/${sessionId}/sync`, { method: "POST" })
}

/** Redirect first: once CoinGate says paid (or confirming), complete the cart. The store may already have. */
async function completeCart() {
  if (completing) return
  completing = true
  await api(`/store/carts/${cart.id}/complete`, { method: "POST" }).catch(() => {}) // a 400 here just means "not yet"
}

async function poll() {
  $("check-again").hidden = true
  const until = Date.now() + POLL_BUDGET_MS
  let delay = 1000
  for (;;) {
    let s
    try {
      s = await sync(session.id)
    } catch (err) {
      s = { state: "unknown", coingate_status: null, error: err.message }
    }
    if (s.error) {
      $("status-line").textContent = `Could not reach the store (${s.error}); retrying…`
    } else {
      const view = decide(s)
      render(view, s)
      if (view.final) return
      if (view.complete) await completeCart()
    }
    if (Date.now() + delay > until) break
    await new Promise((r) => setTimeout(r, delay))
    delay = Math.min(delay * 1.5, 5000)
  }
  $("check-again").hidden = false
}

/** A new CoinGate invoice for the same cart; for a canceled order-first order, a copy of the cart. */
async function retry() {
  $("retry").disabled = true
  try {
    cart = await loadCart(cart.id)
    const target = cart.completed_at ? await copyCart(api, cart) : cart
    const next = await startCoinGatePayment(api, {
      cart: target,
      providerId: session.provider_id,
      email: cart.email,
      flow: session.data?.flow,
    })
    location.href = next.data.payment_url
  } catch (err) {
    $("detail").textContent = `Could not start a new payment: ${err.message}`
    $("retry").disabled = false
  }
}

$("retry").addEventListener("click", retry)
$("check-again").addEventListener("click", poll)

async function main() {
  const cartId = params.get("cart")
  if (!cartId) throw new Error("no cart in the address")
  cart = await loadCart(cartId)
  session = coingateSessionOf(cart)
  // The session the shopper came back from, if the cart still has it (an older, replaced
  // invoice is not this cart's payment any more).
  const returned = params.get("session")
  if (returned && session && returned !== session.id) {
    $("status-line").textContent = "You came back from an earlier invoice; showing the current one."
  }
  if (!session) throw new Error("this cart has no CoinGate payment")
  await poll()
}

main().catch((err) => {
  $("result").dataset.state = "error"
  $("title").textContent = "Something went wrong"
  $("detail").textContent = err.message
})
