// The return page: where CoinGate sends the shopper back (through the store's
// /coingate/return/:session_id, which fills in ?cart=...&session=...; the cart only for the
// shopper CoinGate sent back, whose return URL carries the plugin's return token).
//
// The query string only says WHICH cart and session to look at, never what happened:
// anyone can type ?paid=true. The outcome comes from the store, which re-reads the order
// from CoinGate; the package's storefront helper (watchCoinGateReturn) asks, decides what to
// show (returnView), completes the cart once when CoinGate saw the payment, and gives the
// order's display number.
import { isCoinGateSession, startCoinGatePayment, watchCoinGateReturn } from "/lib/coingate-storefront.js"
import { copyCart, lastCart, loadConfig, returnUrl, storeApi } from "./store-api.js"

const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
const config = await loadConfig()
const api = storeApi(config)

let cart = null
let session = null

/** The page's three looks: placed, failed, and everything on the way (awaiting). */
const LOOK = { placed: "placed", failed: "failed" }

function render(view) {
  $("result").dataset.state = LOOK[view.kind] || "awaiting"
  $("result").dataset.kind = view.kind
  $("title").textContent = view.title
  $("detail").textContent = view.message
  $("order").hidden = !view.orderId
  $("order").dataset.orderId = view.orderId || ""
  $("order-id").textContent = view.displayId ? `#${view.displayId}` : ""
  if (view.orderId && config.admin_url) {
    $("admin-link").href = `${config.admin_url}/orders/${view.orderId}`
    $("admin-link").hidden = false
  }
  $("status-line").textContent = `CoinGate status: ${view.coingateStatus || "unknown"}`
  const paymentUrl = session?.data?.payment_url
  $("back-to-invoice").hidden = !(view.showInvoice && paymentUrl)
  if (paymentUrl) $("back-to-invoice").href = paymentUrl
  $("retry").hidden = !view.showRetry
  if (view.kind === "placed" || view.kind === "confirming") lastCart.clear()
}

async function loadCart(id) {
  const fields = "id,email,region_id,completed_at,*items,*payment_collection,*payment_collection.payment_sessions"
  return (await api(`/store/carts/${id}?fields=${encodeURIComponent(fields)}`)).cart
}

async function watch() {
  $("check-again").hidden = true
  const { timedOut } = await watchCoinGateReturn(api, {
    sessionId: session.id,
    cartId: cart.id,
    onView: render,
    onError: (err) => ($("status-line").textContent = `Could not reach the store (${err.message}); retrying…`),
  })
  if (timedOut) $("check-again").hidden = false
}

/** A new CoinGate invoice for the same cart; for a canceled order-first order, a copy of the cart. */
async function retry() {
  $("retry").disabled = true
  try {
    cart = await loadCart(cart.id)
    const target = cart.completed_at ? await copyCart(api, cart) : cart
    const next = await startCoinGatePayment(api, {
      cartId: target.id,
      successUrl: returnUrl(),
      email: cart.email,
      flow: session.data?.flow === "order_first" ? "order_first" : undefined,
    })
    lastCart.set(target.id)
    location.href = next.paymentUrl
  } catch (err) {
    $("detail").textContent = `Could not start a new payment: ${err.message}`
    $("retry").disabled = false
  }
}

$("retry").addEventListener("click", retry)
$("check-again").addEventListener("click", watch)

async function main() {
  // No cart in the address: a return without the plugin's return token (an invoice made before it had
  // one, or a link someone shared). The cart this browser checked out is still known here.
  const cartId = params.get("cart") || lastCart.get()
  if (!cartId) throw new Error("no cart in the address")
  cart = await loadCart(cartId)
  session = (cart.payment_collection?.payment_sessions ?? []).find(isCoinGateSession)
  // The session the shopper came back from, if the cart still has it (an older, replaced
  // invoice is not this cart's payment any more).
  const returned = params.get("session")
  if (returned && session && returned !== session.id) {
    $("status-line").textContent = "You came back from an earlier invoice; showing the current one."
  }
  if (!session) throw new Error("this cart has no CoinGate payment")
  await watch()
}

main().catch((err) => {
  $("result").dataset.state = "error"
  $("title").textContent = "Something went wrong"
  $("detail").textContent = err.message
})
