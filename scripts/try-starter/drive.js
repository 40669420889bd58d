#!/usr/bin/env node
"use strict"
/**
 * Drives dtc-starter (patched with docs/dtc-starter/coingate.patch) in headless Chromium against the demo backend,
 * as scripts/try-starter.sh sets it up: a shopper adds a product, enters an address, picks the shipping option and
 * "Crypto (CoinGate)", and pays on the simulator's invoice page.
 * Redirect first (the storefront started without COINGATE_FLOW):
 *   pay              pay in full, back to the store: the order's confirmation page (its header: "Cart (0)", as
 *                    after each redirect-first payment)
 *   cancel-then-pay  cancel on the invoice, back on the return page, "Try again", pay
 *   confirming       back while the payment is confirming: "payment confirming", then placed
 *   closed-tab       pay, close the tab; back in the store: the header does not count the completed cart, cart cookie
 *                    cleared, "Your order #N was placed" with a link to the order, and "Add to cart" starts a new
 *                    cart (the header counts its item)
 * Order first (COINGATE_FLOW=order_first, the storefront started with it): scripts/try-starter/order-first.js.
 * Each checks there is one CoinGate invoice per checkout attempt. Screenshots: SCREENSHOTS_DIR/starter-*.png.
 * Usage: drive.js [run ...]. Env: see shopper.js, CHROMIUM_PATH, COINGATE_FLOW.
 */
const fs = require("fs")
const path = require("path")
const { chromium } = require("playwright-core")
const s = require("./shopper")
const orderFirstRuns = require("./order-first")

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"
const FAILS = path.join(__dirname, "../../integration-tests/.artifacts")
fs.mkdirSync(FAILS, { recursive: true })

/** On the order's confirmation page the header counts no cart: the cart is an order now. */
async function headerCountsNoCart(page) {
  const count = await s.headerCartCount(page)
  s.check(count === 0, `the confirmation page's header says "Cart (${count})"`)
}

const redirectFirstRuns = {
  async pay(page) {
    const before = (await s.simOrders()).length
    await s.toReview(page)
    await s.shot(page, "starter-1-review")
    const order = await s.payWithCrypto(page)
    s.check((await s.simOrders()).length === before + 1, "one CoinGate invoice for the checkout (payment step and Pay with crypto share it)")
    s.check(/Satoshi T-shirt/.test(order.title) && !/payses_/.test(order.title), `the invoice names the shop and the item ("${order.title}")`)
    await s.shot(page, "starter-2-invoice")
    await s.payOnInvoice(page)
    await s.toConfirmation(page)
    s.check(true, "back from CoinGate: the order's confirmation page")
    await headerCountsNoCart(page)
    await page.getByTestId("order-complete-container").waitFor() // the page itself, not its loading skeleton
    await s.shot(page, "starter-3-confirmed")
  },

  async "cancel-then-pay"(page) {
    await s.toReview(page, "Sticker pack")
    const first = await s.payWithCrypto(page)
    await s.cancelOnInvoice(page)
    await page.waitForSelector("[data-testid=coingate-return][data-kind=failed]", { timeout: 60_000 })
    await s.shot(page, "starter-canceled-try-again")
    const message = await page.getByTestId("coingate-return-message").textContent()
    s.check(/canceled/.test(message), `canceled on the invoice: "${message}", and Try again`)
    await page.getByTestId("coingate-retry").click()
    await page.waitForURL(/\/invoice\//, { timeout: 60_000 })
    const second = await s.orderByUrl(page.url())
    s.check(second.id !== first.id, "Try again: a new invoice")
    await s.payOnInvoice(page)
    await s.toConfirmation(page)
    s.check(true, "the second invoice paid: the order's confirmation page")
    await headerCountsNoCart(page)
  },

  async confirming(page) {
    await s.toReview(page, "Hardware wallet sleeve")
    const order = await s.payWithCrypto(page)
    await page.click("#coin-BTC")
    await page.waitForSelector("#status[data-status=pending]")
    await s.sim(`/__sim/orders/${order.id}/status`, { status: "confirming", callback: false })
    await page.goto(order.success_url)
    await page.waitForSelector("[data-testid=coingate-return][data-kind=confirming]", { timeout: 60_000 })
    await s.shot(page, "starter-return-confirming")
    s.check(/#\d+/.test(await page.getByTestId("coingate-return-order").textContent()), "while confirming: order placed, with its number")
    await s.sim(`/__sim/orders/${order.id}/status`, { status: "paid" })
    await s.toConfirmation(page)
    s.check(true, "confirmed: the order's confirmation page")
    await headerCountsNoCart(page)
  },

  async "closed-tab"(page, context) {
    await s.toReview(page, "Sticker pack")
    const paidCart = await s.cartCookie(context)
    const order = await s.payWithCrypto(page)
    await s.payOnInvoice(page, { back: false })
    await page.close() // the shopper closes the tab; CoinGate's callback completes the cart
    await s.until("the paid callback", async () => JSON.stringify((await s.sim(`/__sim/callbacks?orderId=${order.id}`)) || []).includes('"paid"'))
    await s.until("the cart completed by the callback", async () => (await s.cartOf(paidCart)).completed_at)
    s.check((await s.cartCookie(context)) === paidCart, "tab closed after paying: the cart cookie still names the completed cart")
    const back = await context.newPage()
    await back.goto(`${s.SF}/dk/store`)
    const served = await s.headerCartCount(back) // as the server rendered it, before the notice asks about the cart
    s.check(served === 0, `back in the store: the header does not count the completed cart's item: "Cart (${served})"`)
    const notice = back.getByTestId("coingate-order-notice")
    await notice.waitFor({ timeout: 30_000 })
    const text = await notice.locator("span").first().textContent()
    s.check(/Your order #\d+ was placed/.test(text), `back in the store: the notice says "${text.trim()}"`)
    await s.until("the cart cookie cleared", async () => (await s.cartCookie(context)) !== paidCart, 10_000)
    s.check(true, "the cart cookie no longer names the completed cart")
    await back.waitForLoadState("networkidle") // the notice's server action and refresh
    const withNotice = await s.headerCartCount(back)
    s.check(withNotice === 0, `with the notice, the header says "Cart (${withNotice})"`)
    await s.shot(back, "starter-closed-tab-order-notice")
    await back.getByTestId("coingate-order-notice-link").click()
    await s.toConfirmation(back)
    s.check(true, "the notice's link opens the order's confirmation page")
    await back.goto(`${s.SF}/dk/store`)
    await back.getByText("Satoshi T-shirt", { exact: true }).first().click()
    await back.waitForURL(/\/products\//)
    await back.getByTestId("add-product-button").click()
    await back.waitForTimeout(1500)
    await back.goto(`${s.SF}/dk/cart`)
    const cart = await back.textContent("body")
    s.check(/Satoshi T-shirt/.test(cart) && !/Sticker pack/.test(cart), "Add to cart works, in a new cart")
    const inNewCart = await s.headerCartCount(back)
    s.check(inNewCart === 1, `the header counts the new cart's item: "Cart (${inNewCart})"`)
    await s.shot(back, "starter-closed-tab-new-cart")
  },
}

async function main() {
  const runs = process.env.COINGATE_FLOW === "order_first" ? orderFirstRuns : redirectFirstRuns
  const flow = process.env.COINGATE_FLOW === "order_first" ? "order first" : "redirect first"
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] })
  const only = process.argv.slice(2)
  let failed = 0
  for (const [name, run] of Object.entries(runs)) {
    if (only.length && !only.includes(name)) continue
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    page.setDefaultTimeout(30_000)
    console.log(`[drive] ${flow}: ${name}`)
    try {
      await run(page, context)
    } catch (err) {
      failed++
      console.log(`  FAIL ${name}: ${err.message}`)
      for (const [i, p] of context.pages().entries()) await p.screenshot({ path: path.join(FAILS, `starter-fail-${name}-${i}.png`) }).catch(() => {})
    }
    await context.close()
  }
  await browser.close()
  console.log(failed ? `[drive] ${flow}: ${failed} run(s) failed` : `[drive] ${flow}: all runs passed`)
  process.exit(failed ? 1 : 0)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
