"use strict"
/**
 * What the try-starter runs share: the simulator's control API, the store API (to check what the storefront did),
 * and the shopper's steps through dtc-starter's checkout and the simulator's invoice page.
 * Env: STOREFRONT_URL, SIMULATOR_URL, BACKEND_URL, PUBLISHABLE_KEY, SCREENSHOTS_DIR.
 */
const fs = require("fs")
const path = require("path")

const SF = process.env.STOREFRONT_URL || "http://localhost:8000"
const SIM = process.env.SIMULATOR_URL || "http://127.0.0.1:4010"
const BACKEND = process.env.BACKEND_URL || "http://localhost:9000"
const SHOTS = path.resolve(process.env.SCREENSHOTS_DIR || path.join(__dirname, "../../integration-tests/.artifacts/screenshots"))
fs.mkdirSync(SHOTS, { recursive: true })
const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })

const sim = async (p, body) => {
  const res = await fetch(`${SIM}${p}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`simulator ${p}: HTTP ${res.status}`)
  return res.json()
}
const simOrders = () => sim("/__sim/orders")
const orderByUrl = async (url) => {
  const uuid = decodeURIComponent(new URL(url).pathname.split("/").pop())
  return (await simOrders()).find((o) => o.uuid === uuid)
}
/** The store API as the storefront sees it (publishable key): to check carts and orders, never to act for the shopper. */
const store = async (p) => {
  const res = await fetch(`${BACKEND}${p}`, { headers: { "x-publishable-api-key": process.env.PUBLISHABLE_KEY || "" } })
  if (!res.ok) throw new Error(`store ${p}: HTTP ${res.status}`)
  return res.json()
}
const cartOf = async (id) => (await store(`/store/carts/${id}?fields=id,completed_at`)).cart
const cartCookie = async (context) => (await context.cookies(SF)).find((c) => c.name === "_medusa_cart_id")?.value || null

function check(ok, what) {
  if (!ok) throw new Error(`not as expected: ${what}`)
  console.log(`  ok  ${what}`)
}
async function until(what, fn, ms = 60_000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** From an empty cart to the review step with CoinGate chosen ("Continue to review" makes the invoice). */
async function toReview(page, product = "Satoshi T-shirt") {
  await page.goto(`${SF}/dk/store`)
  await page.getByText(product, { exact: true }).first().click()
  await page.waitForURL(/\/products\//)
  await page.getByTestId("add-product-button").click()
  await page.waitForFunction(() => !document.querySelector('[data-testid="add-product-button"]')?.hasAttribute("disabled"))
  await page.waitForTimeout(500)
  await page.goto(`${SF}/dk/checkout?step=address`)
  await page.getByTestId("shipping-first-name-input").fill("Ada")
  await page.getByTestId("shipping-last-name-input").fill("Shopper")
  await page.getByTestId("shipping-address-input").fill("Main street 1")
  await page.getByTestId("shipping-postal-code-input").fill("1000")
  await page.getByTestId("shipping-city-input").fill("Copenhagen")
  await page.getByTestId("shipping-country-select").selectOption("dk")
  await page.getByTestId("shipping-email-input").fill("shopper@example.com")
  await page.getByTestId("submit-address-button").click()
  await page.waitForURL(/step=delivery/)
  await page.getByTestId("delivery-option-radio").first().click()
  await page.getByTestId("submit-delivery-option-button").click()
  await page.waitForURL(/step=payment/)
  await page.getByText("Crypto (CoinGate)").click()
  await page.getByTestId("submit-payment-button").click()
  await page.waitForURL(/step=review/)
}

/** "Pay with crypto" on the review step: resolves on the invoice page with its simulator order. */
async function payWithCrypto(page) {
  await page.getByTestId("submit-order-button").click()
  await page.waitForURL(/\/invoice\//, { timeout: 60_000 })
  return orderByUrl(page.url())
}

async function payOnInvoice(page, { back = true } = {}) {
  await page.click("#coin-BTC")
  await page.waitForSelector("#status[data-status=pending]")
  await page.click("#pay-full")
  await page.waitForSelector("#status[data-status=paid]", { timeout: 60_000 })
  if (back) await page.click("#back-to-store")
}

/** Cancel on the invoice page: the simulator sends the shopper straight back (or shows "Back to store"). */
async function cancelOnInvoice(page) {
  await page.click("#cancel")
  const sentBack = await page.waitForURL(/\/coingate\/return/, { timeout: 10_000 }).then(() => true, () => false)
  if (!sentBack) {
    await page.waitForSelector("#status[data-status=canceled]")
    await page.click("#back-to-store")
  }
}

/**
 * The header's "Cart (n)" as the page shows it: dtc-starter's nav streams its cart button in a Suspense boundary whose
 * fallback says "Cart (0)", so this waits for the button itself (the link inside the popover's button, revealed).
 */
async function headerCartCount(page) {
  const text = await page.waitForFunction(() => {
    const link = [...document.querySelectorAll("[data-testid=nav-cart-link]")].find((a) => a.closest("button") && !a.closest("[hidden]"))
    return link?.textContent
  })
  const m = /Cart \((\d+)\)/.exec(await text.jsonValue())
  if (!m) throw new Error(`no cart count in the header ("${await text.jsonValue()}")`)
  return Number(m[1])
}

const toConfirmation = (page) => page.waitForURL(/\/order\/[^/]+\/confirmed/, { timeout: 60_000 })

module.exports = {
  SF,
  shot,
  sim,
  simOrders,
  orderByUrl,
  store,
  cartOf,
  cartCookie,
  check,
  until,
  toReview,
  payWithCrypto,
  payOnInvoice,
  cancelOnInvoice,
  toConfirmation,
  headerCartCount,
}
