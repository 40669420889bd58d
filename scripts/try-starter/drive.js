#!/usr/bin/env node
"use strict"
/**
 * Drives dtc-starter (patched with docs/dtc-starter/coingate.patch) in headless Chromium against the demo backend,
 * as scripts/try-starter.sh sets it up: a shopper adds a product, enters an address, picks the shipping option and
 * "Crypto (CoinGate)", and pays on the simulator's invoice page. Four runs:
 *   pay              pay in full, back to the store: the order's confirmation page
 *   cancel-then-pay  cancel on the invoice, back on the return page, "Try again", pay
 *   confirming       back while the payment is confirming: "payment confirming", then placed
 *   closed-tab       pay, close the tab; later "Add to cart" works (a new cart) and the order exists
 * Each checks there is one CoinGate invoice per checkout attempt. Screenshots: SCREENSHOTS_DIR/starter-*.png.
 * Env: STOREFRONT_URL, SIMULATOR_URL, SCREENSHOTS_DIR, CHROMIUM_PATH.
 */
const fs = require("fs")
const path = require("path")
const { chromium } = require("playwright-core")

const SF = process.env.STOREFRONT_URL || "http://localhost:8000"
const SIM = process.env.SIMULATOR_URL || "http://127.0.0.1:4010"
const SHOTS = path.resolve(process.env.SCREENSHOTS_DIR || path.join(__dirname, "../../integration-tests/.artifacts/screenshots"))
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"
const FAILS = path.join(__dirname, "../../integration-tests/.artifacts")
fs.mkdirSync(SHOTS, { recursive: true })
fs.mkdirSync(FAILS, { recursive: true })

const sim = async (p, body) => {
  const res = await fetch(`${SIM}${p}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`simulator ${p}: HTTP ${res.status}`)
  return res.json()
}
const orderByUrl = async (url) => {
  const uuid = decodeURIComponent(new URL(url).pathname.split("/").pop())
  return (await sim("/__sim/orders")).find((o) => o.uuid === uuid)
}
function check(ok, what) {
  if (!ok) throw new Error(`not as expected: ${what}`)
  console.log(`  ok  ${what}`)
}

/** From an empty cart to the review step with CoinGate chosen; returns the page on the review step. */
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

const runs = {
  async pay(page) {
    const before = (await sim("/__sim/orders")).length
    await toReview(page)
    await page.screenshot({ path: path.join(SHOTS, "starter-1-review.png"), fullPage: true })
    const order = await payWithCrypto(page)
    check((await sim("/__sim/orders")).length === before + 1, "one CoinGate invoice for the checkout (payment step and Pay with crypto share it)")
    check(/Satoshi T-shirt/.test(order.title) && !/payses_/.test(order.title), `the invoice names the shop and the item ("${order.title}")`)
    await page.screenshot({ path: path.join(SHOTS, "starter-2-invoice.png"), fullPage: true })
    await payOnInvoice(page)
    await page.waitForURL(/\/order\/[^/]+\/confirmed/, { timeout: 60_000 })
    await page.screenshot({ path: path.join(SHOTS, "starter-3-confirmed.png"), fullPage: true })
    check(true, "back from CoinGate: the order's confirmation page")
  },

  async "cancel-then-pay"(page) {
    await toReview(page, "Sticker pack")
    const first = await payWithCrypto(page)
    await page.click("#cancel")
    // The invoice page sends the shopper straight back after a cancel (or shows "Back to store").
    const sentBack = await page.waitForURL(/\/coingate\/return/, { timeout: 10_000 }).then(() => true, () => false)
    if (!sentBack) {
      await page.waitForSelector("#status[data-status=canceled]")
      await page.click("#back-to-store")
    }
    await page.waitForSelector('[data-testid=coingate-return][data-kind=failed]', { timeout: 60_000 })
    await page.screenshot({ path: path.join(SHOTS, "starter-canceled-try-again.png"), fullPage: true })
    check(true, "canceled on the invoice: the return page offers Try again")
    await page.getByTestId("coingate-retry").click()
    await page.waitForURL(/\/invoice\//, { timeout: 60_000 })
    const second = await orderByUrl(page.url())
    check(second.id !== first.id, "Try again: a new invoice")
    await payOnInvoice(page)
    await page.waitForURL(/\/order\/[^/]+\/confirmed/, { timeout: 60_000 })
    check(true, "the second invoice paid: the order's confirmation page")
  },

  async confirming(page) {
    await toReview(page, "Hardware wallet sleeve")
    const order = await payWithCrypto(page)
    await page.click("#coin-BTC")
    await page.waitForSelector("#status[data-status=pending]")
    await sim(`/__sim/orders/${order.id}/status`, { status: "confirming", callback: false })
    await page.goto(order.success_url)
    await page.waitForSelector('[data-testid=coingate-return][data-kind=confirming]', { timeout: 60_000 })
    await page.screenshot({ path: path.join(SHOTS, "starter-return-confirming.png"), fullPage: true })
    check(/#\d+/.test(await page.getByTestId("coingate-return-order").textContent()), "while confirming: order placed, with its number")
    await sim(`/__sim/orders/${order.id}/status`, { status: "paid" })
    await page.waitForURL(/\/order\/[^/]+\/confirmed/, { timeout: 60_000 })
    check(true, "confirmed: the order's confirmation page")
  },

  async "closed-tab"(page, context) {
    await toReview(page, "Sticker pack")
    const order = await payWithCrypto(page)
    await payOnInvoice(page, { back: false })
    await page.close() // the shopper closes the tab; CoinGate's callback completes the cart
    const until = Date.now() + 60_000
    for (;;) {
      const rec = (await sim(`/__sim/callbacks?orderId=${order.id}`)) || []
      if (JSON.stringify(rec).includes('"paid"')) break
      if (Date.now() > until) throw new Error("no paid callback")
      await new Promise((r) => setTimeout(r, 500))
    }
    await new Promise((r) => setTimeout(r, 1500))
    const back = await context.newPage()
    await back.goto(`${SF}/dk/store`)
    await back.getByText("Satoshi T-shirt", { exact: true }).first().click()
    await back.waitForURL(/\/products\//)
    await back.getByTestId("add-product-button").click()
    await back.waitForTimeout(1500)
    await back.goto(`${SF}/dk/cart`)
    await back.screenshot({ path: path.join(SHOTS, "starter-closed-tab-new-cart.png"), fullPage: true })
    const text = await back.textContent("body")
    check(/Satoshi T-shirt/.test(text) && !/Sticker pack/.test(text), "back after closing the tab: Add to cart works, in a new cart")
  },
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] })
  const only = process.argv.slice(2)
  let failed = 0
  for (const [name, run] of Object.entries(runs)) {
    if (only.length && !only.includes(name)) continue
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    page.setDefaultTimeout(30_000)
    console.log(`[drive] ${name}`)
    try {
      await run(page, context)
    } catch (err) {
      failed++
      console.log(`  FAIL ${name}: ${err.message}`)
      await page.screenshot({ path: path.join(FAILS, `starter-fail-${name}.png`) }).catch(() => {})
    }
    await context.close()
  }
  await browser.close()
  console.log(failed ? `[drive] ${failed} run(s) failed` : "[drive] all runs passed")
  process.exit(failed ? 1 : 0)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
