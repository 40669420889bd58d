// The checkout page: pick a product, give an email, pay with CoinGate.
// cart -> shipping -> CoinGate session (startCoinGatePayment: one invoice per checkout) -> redirect to its payment_url.
import { checkCart, startCoinGatePayment } from "/lib/coingate-storefront.js"
import { addShipping, lastCart, loadConfig, money, returnUrl, storeApi } from "./store-api.js"

const $ = (id) => document.getElementById(id)
const form = $("checkout")
const say = (text, isError = false) => {
  $("message").textContent = text
  $("message").classList.toggle("error", isError)
}

const config = await loadConfig()
const api = storeApi(config)
let products = []

/** A shopper who paid and closed the tab: the callback made the cart an order meanwhile. */
async function showOrderPlacedWhileAway() {
  const cartId = lastCart.get()
  if (!cartId) return
  const check = await checkCart(api, cartId).catch(() => null)
  if (!check || check.kind === "open") return
  lastCart.clear()
  if (check.kind === "completed") {
    $("away").hidden = false
    $("away-order").textContent = check.displayId ? `#${check.displayId}` : "Your order"
  }
}

async function showProducts() {
  const fields = "id,title,description,*variants.calculated_price"
  const res = await api(`/store/products?region_id=${config.region_id}&fields=${encodeURIComponent(fields)}`)
  products = res.products
    .filter((p) => p.variants?.[0]?.calculated_price)
    .sort((a, b) => a.variants[0].calculated_price.calculated_amount - b.variants[0].calculated_price.calculated_amount)
  $("products").innerHTML = ""
  products.forEach((p, i) => {
    const price = p.variants[0].calculated_price
    const label = document.createElement("label")
    label.className = "product"
    label.innerHTML = `<input type="radio" name="product" value="${p.id}" ${i === 0 ? "checked" : ""}>
      <span><b></b><small></small></span><span class="price"></span>`
    label.querySelector("b").textContent = p.title
    label.querySelector("small").textContent = p.description || ""
    label.querySelector(".price").textContent = money(price.calculated_amount, price.currency_code)
    $("products").append(label)
  })
  updateTotal()
  $("place-order").disabled = products.length === 0
}

function selected() {
  const id = new FormData(form).get("product")
  return products.find((p) => p.id === id)
}

function updateTotal() {
  const p = selected()
  const price = p?.variants[0].calculated_price
  $("total").textContent = price ? `${money(price.calculated_amount, price.currency_code)} + shipping` : "–"
}

form.addEventListener("change", updateTotal)

form.addEventListener("submit", async (event) => {
  event.preventDefault()
  const data = new FormData(form)
  const email = String(data.get("email") || "").trim()
  const product = selected()
  $("place-order").disabled = true
  try {
    say("Creating your cart…")
    const { cart: created } = await api("/store/carts", {
      method: "POST",
      body: { region_id: config.region_id, email, items: [{ variant_id: product.variants[0].id, quantity: 1 }] },
    })
    const cart = await addShipping(api, created.id)

    if (data.get("provider") === "manual") {
      const { payment_collection } = await api("/store/payment-collections", { method: "POST", body: { cart_id: cart.id } })
      await api(`/store/payment-collections/${payment_collection.id}/payment-sessions`, {
        method: "POST",
        body: { provider_id: "pp_system_default" },
      })
      const done = await api(`/store/carts/${cart.id}/complete`, { method: "POST" })
      say(done.type === "order" ? `Order #${done.order.display_id} placed.` : `Not placed: ${done.error?.message}`, done.type !== "order")
      return
    }

    const flow = data.get("flow")
    say(flow === "order_first" ? "Placing your order…" : "Creating your CoinGate invoice…")
    const started = await startCoinGatePayment(api, { cartId: cart.id, successUrl: returnUrl(), email, flow: flow === "order_first" ? "order_first" : undefined })
    lastCart.set(cart.id)
    say(flow === "order_first" ? "Order placed, awaiting payment. Redirecting to CoinGate…" : "Redirecting to CoinGate…")
    location.href = started.paymentUrl
  } catch (err) {
    say(`Something went wrong: ${err.message}`, true)
    $("place-order").disabled = false
  }
})

showProducts().catch((err) => say(`Could not load the products: ${err.message}`, true))
showOrderPlacedWhileAway()
