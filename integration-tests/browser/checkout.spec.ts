import fs from "fs"
import path from "path"
import { freePort, REPO_ROOT } from "../helpers/stack"
import { screenshotsDir } from "./screenshots"

/**
 * The demo checkout (demo/) in headless Chromium, against the demo stack that `npm run demo`
 * starts (scripts/demo/stack.js), on a fresh database and free ports: the shopper picks a
 * product, pays on the simulator's invoice page and comes back to the confirmation page,
 * in both storefront flows, plus the expired-then-retry and cancel paths. Screenshots go to
 * <screenshots>/checkout-*.png (docs/screenshots with `npm run docs:screenshots`).
 *
 * Needs Debian's chromium (apt-get install -y chromium) at /usr/bin/chromium or CHROMIUM_PATH,
 * and PostgreSQL (DB_* env, as the integration suite; `npm test` provides it).
 */

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startDemo } = require("../../scripts/demo/stack")

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium"
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]
// A git-ignored folder; `npm run docs:screenshots` writes docs/screenshots instead (screenshots.ts).
const SHOTS = screenshotsDir()
const LOGS = path.join(REPO_ROOT, "integration-tests", ".artifacts", "checkout-browser")

const chromiumInstalled = fs.existsSync(CHROMIUM_PATH)
if (!chromiumInstalled) {
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPED: checkout browser test: no Chromium at ${CHROMIUM_PATH}. Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`
  )
}
const describeWithChromium = chromiumInstalled ? describe : describe.skip

jest.setTimeout(120_000)

describeWithChromium("demo checkout in a real browser", () => {
  let stack: any
  let browser: any
  let context: any
  let page: any
  const log: string[] = []

  beforeAll(async () => {
    const ports = { medusa: await freePort(), simulator: await freePort(), web: await freePort() }
    stack = await startDemo({
      dbName: `medusa_coingate_browser_${Date.now()}`,
      ports,
      log: (line: string) => log.push(line),
      logDir: LOGS,
      adminDisabled: true,
      dropOnStop: true,
      // Long enough expiry that nothing expires by itself; payments confirm after 0.8 s.
      simulator: { log: false, pendingTtlMs: 30 * 60_000, confirmDelayMs: 800 },
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${log.join("\n")}`)
    })
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { chromium } = require("playwright-core")
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
    fs.mkdirSync(SHOTS, { recursive: true })
  }, 300_000)

  afterAll(async () => {
    await browser?.close().catch(() => {})
    await stack?.stop()
  }, 60_000)

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1000, height: 820 } })
    page = await context.newPage()
    page.setDefaultTimeout(30_000)
  })
  afterEach(async () => {
    await context?.close().catch(() => {})
  })

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `checkout-${name}.png`), fullPage: true })

  /**
   * The storefront's call to the store: where the payment stands (what the return page asks). The session id
   * alone gets the status only; with the checkout's cart id the answer names the cart and the order.
   */
  async function syncState(sessionId: string, cartId?: string | null) {
    const res = await fetch(`${stack.urls.store}/store/coingate/payment-sessions/${sessionId}/sync`, {
      method: "POST",
      headers: { "x-publishable-api-key": stack.seed.publishable_key, "content-type": "application/json" },
      body: JSON.stringify(cartId ? { cart_id: cartId } : {}),
    })
    expect(res.status).toBe(200)
    return res.json()
  }

  /** The cart the invoice's return URL leads to (the plugin's return route, followed as the shopper's browser would). */
  async function cartOfInvoice(coingateOrderId: number) {
    const res = await fetch(stack.sim.getOrder(coingateOrderId).success_url, { redirect: "manual" })
    return new URL(res.headers.get("location")!).searchParams.get("cart")
  }

  /** Fills the checkout form and submits it; resolves on the simulator's invoice page with its order. */
  async function checkout({ product = "Satoshi T-shirt", email = "shopper@example.com", flow = "redirect_first", screenshot = "" } = {}) {
    await page.goto(stack.urls.checkout)
    await page.locator("label.product", { hasText: product }).click()
    await page.fill("#email", email)
    await page.check("#pay-coingate")
    if (flow === "order_first") {
      await page.click("#flow-options summary")
      await page.check("#flow-order-first")
    }
    if (screenshot) await shot(screenshot)
    await page.click("#place-order")
    await page.waitForURL(/\/invoice\//)
    const uuid = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!)
    const order = stack.sim.listOrders().find((o: any) => o.uuid === uuid)
    expect(order).toBeTruthy()
    return order as { id: number; order_id: string; price_amount: string; price_currency: string }
  }

  /** On the invoice page: choose a coin, pay in full, watch it confirm, go back to the store. */
  async function payInFull({ coin = "BTC", shots = false } = {}) {
    if ((await page.getAttribute("#status", "data-status")) === "new") {
      await page.click(`#coin-${coin}`)
      await page.waitForSelector("#status[data-status=pending]")
    }
    await expectCountdown()
    if (shots) await shot("2-invoice")
    await page.click("#pay-full")
    await page.waitForSelector("#status[data-status=confirming]")
    if (shots) await shot("3-confirming")
    await page.waitForSelector("#status[data-status=paid]")
    await page.click("#back-to-store")
    await page.waitForURL(/\/return\.html\?/)
  }

  async function expectCountdown() {
    const text = await page.textContent("#countdown")
    expect(text).toMatch(/^\d{2}:\d{2}$/)
    expect(text).not.toBe("00:00")
  }

  async function confirmation(state: "placed" | "awaiting" | "failed") {
    await page.waitForSelector(`#result[data-state=${state}]`)
    return {
      title: (await page.textContent("#title"))!.trim(),
      detail: (await page.textContent("#detail"))!.trim(),
      orderId: (await page.getAttribute("#order", "data-order-id")) || "",
      orderNumber: ((await page.textContent("#order-id")) || "").trim(),
      cart: new URL(page.url()).searchParams.get("cart"),
    }
  }

  it("redirect first: pays on the invoice page, comes back, sees the order placed", async () => {
    const order = await checkout({ screenshot: "1-store" })
    // The T-shirt and the demo's standard shipping (CoinGate renders 28.90 as 28.9); the invoice names the shop and the item.
    expect(order).toMatchObject({ price_amount: "28.9", price_currency: "EUR" })
    expect(stack.sim.getOrder(order.id).title).toBe("CoinGate demo store: Satoshi T-shirt")
    await payInFull({ shots: true })

    const result = await confirmation("placed")
    await shot("4-order-placed")
    expect(result.title).toBe("Order placed")
    expect(result.orderId).toMatch(/^order_/)
    // The shopper sees the order's number, never its internal id.
    expect(result.orderNumber).toMatch(/^#\d+$/)
    expect(await page.textContent("body")).not.toContain(result.orderId)
    expect(await syncState(order.order_id, result.cart)).toMatchObject({ state: "captured", coingate_status: "paid", order_id: result.orderId, cart_id: result.cart })
    // The session id alone (CoinGate prints it on the invoice): the status, not the cart or the order.
    expect(await syncState(order.order_id)).toEqual({ payment_session_id: order.order_id, state: "captured", coingate_status: "paid" })
  })

  it("order first: the order is placed before the redirect and captured after payment", async () => {
    const order = await checkout({ product: "Sticker pack", flow: "order_first" })
    const before = await syncState(order.order_id, await cartOfInvoice(order.id))
    expect(before).toMatchObject({ state: "awaiting_payment", coingate_status: "new" })
    expect(before.order_id).toMatch(/^order_/)

    // The shopper comes back without paying: the page says the order waits for the payment.
    const invoiceUrl = page.url()
    await page.goto(`${stack.urls.checkout}/return.html?cart=${before.cart_id}&session=${order.order_id}`)
    const awaiting = await confirmation("awaiting")
    expect(awaiting.title).toBe("Order placed, awaiting payment")
    expect(awaiting.orderId).toBe(before.order_id)
    expect(await page.getAttribute("#back-to-invoice", "href")).toBe(invoiceUrl)
    await shot("order-first-awaiting")

    await page.click("#back-to-invoice")
    await page.waitForURL(invoiceUrl)
    await payInFull({ coin: "ETH" })
    const result = await confirmation("placed")
    await shot("order-first-placed")
    expect(result.orderId).toBe(before.order_id)
    expect(await syncState(order.order_id, before.cart_id)).toMatchObject({ state: "captured", order_id: before.order_id })
  })

  it("underpaid, then expired: the shopper is asked to try again, and a new invoice for the same cart pays", async () => {
    const first = await checkout({ product: "Hardware wallet sleeve" })
    await page.click("#coin-LTC")
    await page.waitForSelector("#status[data-status=pending]")
    await page.click("#pay-under")
    await page.waitForSelector("#underpaid:not(.hidden)")
    await shot("invoice-underpaid")
    // CoinGate's invoice runs out (20 minutes in real life).
    await stack.sim.setStatus(first.id, "expired")
    await page.waitForSelector("#status[data-status=expired]")
    await page.click("#back-to-store")

    const failed = await confirmation("failed")
    await shot("expired-try-again")
    expect(failed.title).toBe("Payment not completed")
    expect(failed.detail).toMatch(/expired/)
    expect(await syncState(first.order_id)).toMatchObject({ state: "canceled", coingate_status: "expired" })

    await page.click("#retry")
    await page.waitForURL(/\/invoice\//)
    const uuid = new URL(page.url()).pathname.split("/").pop()
    const second = stack.sim.listOrders().find((o: any) => o.uuid === uuid)
    expect(second.id).not.toBe(first.id)
    expect(second.order_id).not.toBe(first.order_id)
    await payInFull()
    const placed = await confirmation("placed")
    expect(placed.cart).toBe(failed.cart)
    expect(placed.orderId).toMatch(/^order_/)
  })

  it("back during confirming: the page says the payment is confirming (never 'not seen'), then placed", async () => {
    // Every look the result box takes, from the first paint on.
    await page.addInitScript(() => {
      ;(window as any).__kinds = []
      new MutationObserver(() => {
        const kind = document.getElementById("result")?.dataset.kind
        const kinds = (window as any).__kinds
        if (kind && kinds[kinds.length - 1] !== kind) kinds.push(kind)
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-kind"] })
    })
    const order = await checkout({ product: "Sticker pack" })
    await page.click("#coin-BTC")
    await page.waitForSelector("#status[data-status=pending]")
    // The network has seen the payment; the shopper goes back to the shop before it is confirmed.
    await stack.sim.setStatus(order.id, "confirming", { callback: false })
    await page.goto(stack.sim.getOrder(order.id).success_url)
    await page.waitForSelector("#result[data-kind=confirming]")
    await shot("return-confirming")
    expect(await page.textContent("#title")).toBe("Order placed, payment confirming")
    expect(await page.textContent("#order-id")).toMatch(/^#\d+$/)
    await stack.sim.setStatus(order.id, "paid")
    const placed = await confirmation("placed")
    expect(placed.title).toBe("Order placed")
    const kinds: string[] = await page.evaluate(() => (window as any).__kinds)
    expect(kinds).not.toContain("not_paid")
    expect(kinds[kinds.length - 1]).toBe("placed")
  })

  it("pays and closes the tab: back on the shop later, the order is shown (the callback placed it)", async () => {
    const order = await checkout({ product: "Hardware wallet sleeve" })
    // The shop remembers the cart (its "cart cookie"); read it from a tab on the shop's origin.
    const probe = await context.newPage()
    await probe.goto(stack.urls.checkout)
    const cartId = await probe.evaluate(() => localStorage.getItem("coingate_demo_cart"))
    await probe.close()
    expect(cartId).toMatch(/^cart_/)
    await page.click("#coin-BTC")
    await page.waitForSelector("#status[data-status=pending]")
    await page.click("#pay-full")
    await page.waitForSelector("#status[data-status=paid]")
    // No "Back to store": the tab is closed. CoinGate's callback completes the cart.
    const until = Date.now() + 30_000
    for (;;) {
      const res = await fetch(`${stack.urls.store}/store/carts/${cartId}?fields=id,completed_at`, { headers: { "x-publishable-api-key": stack.seed.publishable_key } })
      if ((await res.json()).cart?.completed_at) break
      if (Date.now() > until) throw new Error(`cart ${cartId} of CoinGate order ${order.id} was not completed by the callback`)
      await new Promise((r) => setTimeout(r, 300))
    }
    await page.goto(stack.urls.checkout)
    await page.waitForSelector("#away:not([hidden])")
    await shot("closed-tab-order-placed")
    expect(await page.textContent("#away-order")).toMatch(/^#\d+$/)
    expect(await page.evaluate(() => localStorage.getItem("coingate_demo_cart"))).toBeNull()
    // The shop works again: a new checkout starts.
    await checkout({ product: "Sticker pack" })
  })

  it("cancel on the invoice page: back on the store with a try-again button", async () => {
    const order = await checkout({ product: "Sticker pack" })
    await page.click("#cancel")
    await page.waitForURL(/\/return\.html\?/)
    const failed = await confirmation("failed")
    expect(failed.detail).toMatch(/canceled/)
    expect(await page.isVisible("#retry")).toBe(true)
    expect(await syncState(order.order_id)).toMatchObject({ state: "canceled", coingate_status: "canceled" })
  })
})
