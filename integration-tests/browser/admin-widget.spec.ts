import fs from "fs"
import path from "path"
import type { Browser, Page } from "playwright-core"
import { REPO_ROOT } from "../helpers/stack"
import { screenshotsDir } from "./screenshots"
import { StoreSeeder, until } from "./admin-seed"
import { ADMIN_EMAIL, ADMIN_PASSWORD, AdminStack, CHROMIUM_ARGS, CHROMIUM_PATH, startAdminStack } from "./admin-stack"

/**
 * The CoinGate widget and settings page in the development store's real Medusa admin,
 * driven by headless Chromium: log in, open a paid, an underpaid and an expired order,
 * check what the widget shows, refresh from CoinGate, handle a flag, test the connection.
 * Screenshots go to <screenshots>/admin-*.png (docs/screenshots with `npm run docs:screenshots`) (docs/admin.md shows them).
 *
 * Needs Debian's chromium (`apt-get install chromium`) or CHROMIUM_PATH, and PostgreSQL
 * (DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD).
 */

// A git-ignored folder; `npm run docs:screenshots` writes docs/screenshots instead (screenshots.ts).
const SCREENSHOTS = screenshotsDir()
const VIEWPORT = { width: 1440, height: 1000 }
const chromiumInstalled = fs.existsSync(CHROMIUM_PATH)
if (!chromiumInstalled) {
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPED: admin browser test: no Chromium at ${CHROMIUM_PATH}. Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`
  )
}
const describeWithChromium = chromiumInstalled ? describe : describe.skip

jest.setTimeout(120_000)

const log = (line: string) => process.stdout.write(`[admin-browser] ${line}\n`)

describeWithChromium("CoinGate in the Medusa admin (headless Chromium)", () => {
  let stack: AdminStack
  let seeder: StoreSeeder
  let browser: Browser
  let page: Page
  const consoleErrors: string[] = []

  beforeAll(async () => {
    const t0 = Date.now()
    stack = await startAdminStack({ log })
    seeder = new StoreSeeder(stack.url, stack.sim)
    await seeder.setup()
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { chromium } = require("playwright-core")
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-US", timezoneId: "UTC" })
    page = await context.newPage()
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text())
    })
    page.on("pageerror", (e) => consoleErrors.push(String(e)))

    // Log in through the admin's own login page.
    await page.goto(`${stack.url}/app/login`)
    await page.locator("input[name=email]").fill(ADMIN_EMAIL)
    await page.locator("input[name=password]").fill(ADMIN_PASSWORD)
    await page.locator("button[type=submit]").click()
    await page.waitForURL(/\/app\/orders/, { timeout: 30_000 })
    log(`stack, seed and login ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  }, 400_000)

  afterAll(async () => {
    await browser?.close().catch(() => undefined)
    await stack?.stop()
  })

  const widget = () => page.locator("[data-testid=coingate-widget]")

  async function openOrder(orderId: string) {
    await page.goto(`${stack.url}/app/orders/${orderId}`)
    await widget().waitFor({ state: "visible", timeout: 30_000 })
  }

  /**
   * The order page (the admin scrolls inside its main column, so a "full page" shot is
   * the viewport: it is made tall enough for the whole widget) and the widget alone.
   */
  async function screenshot(name: string) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
    await page.evaluate(() => document.fonts.ready)
    // Clicking scrolled the admin's main column: back to the top, so the page shows from its header.
    await page.evaluate(() => document.querySelectorAll("*").forEach((el) => el.scrollTop && (el.scrollTop = 0)))
    const box = await widget().boundingBox()
    const height = Math.max(VIEWPORT.height, Math.ceil((box ? box.y + box.height : 0) + 24))
    await page.setViewportSize({ width: VIEWPORT.width, height })
    // Let fonts and the re-render after the resize settle.
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SCREENSHOTS, `admin-${name}.png`) })
    await widget().screenshot({ path: path.join(SCREENSHOTS, `admin-widget-${name}.png`) })
    await page.setViewportSize(VIEWPORT)
  }

  /** CoinGate gives up on the invoice: its expiry time is now. */
  const expire = (coingateOrderId: number) =>
    stack.sim.setStatus(coingateOrderId, "expired", { fields: { expire_at: new Date().toISOString().replace(/\.\d+Z$/, "+00:00") } })

  const text = (testId: string) => widget().locator(`[data-testid=${testId}]`).first().innerText()

  it("shows a paid order: badge, history, amounts, transactions and the link to the order at the simulator", async () => {
    const { cartId, coingateOrderId } = await seeder.checkout("paid@example.com")
    // Step by step, each with its callback: the shopper picks BTC, pays, the network confirms.
    await stack.sim.chooseCoin(coingateOrderId, "BTC")
    await stack.sim.pay(coingateOrderId, { kind: "full", confirm: false })
    await stack.sim.setStatus(coingateOrderId, "paid")
    const orderId = await seeder.complete(cartId)
    await until("the payment captured", async () => (await seeder.order(orderId)).payment_status === "captured")
    const remote = stack.sim.getOrder(coingateOrderId)

    await openOrder(orderId)
    expect(await widget().locator("[data-testid=coingate-header-status]").innerText()).toBe("Paid")
    expect(await widget().locator("[data-testid=coingate-sandbox]").innerText()).toBe("Sandbox")
    const link = widget().locator("[data-testid=coingate-dashboard-link]")
    expect(await link.getAttribute("href")).toBe(remote.payment_url) // against the simulator: its invoice page
    expect(await link.innerText()).toContain(`#${coingateOrderId}`)
    expect(await text("coingate-price")).toContain("79.00 EUR") // CoinGate answers "79.0"; the widget shows EUR's two digits
    expect(await text("coingate-paid")).toContain(`${remote.pay_amount} BTC`)
    expect(await text("coingate-receive")).toContain(`${remote.receive_amount} ${remote.receive_currency}`)
    expect(await widget().locator("[data-testid=coingate-underpaid]").count()).toBe(0)
    expect(await text("coingate-paid-at")).toMatch(/\d{4}/)
    const history = await text("coingate-history")
    expect(history).toMatch(/Paid[\s\S]*Confirming[\s\S]*Awaiting payment/)
    expect(history).toContain("callback")
    const tx = await text("coingate-transactions")
    expect(tx).toContain("3 confirmations")
    expect(tx).toContain(`${remote.pay_amount} BTC`)
    expect(tx).toContain(remote.blockchain_transactions[0].txid.slice(0, 8))
    expect(await text("coingate-last-heard")).toMatch(/Last callback: (now|\d+ (seconds?|minutes?) ago)/)
    expect(await widget().locator("[data-testid=coingate-attention]").count()).toBe(0)
    await screenshot("order-paid")
  })

  it("shows an underpaid order that CoinGate settled within its underpaid cover, with the amount missing", async () => {
    const { cartId, coingateOrderId } = await seeder.checkout("underpaid@example.com", 2)
    await stack.sim.pay(coingateOrderId, { kind: "underpay", payCurrency: "LTC" })
    const underpaid = stack.sim.getOrder(coingateOrderId)
    expect(underpaid.status).toBe("pending")
    await stack.sim.setStatus(coingateOrderId, "paid")
    const orderId = await seeder.complete(cartId)
    await until("the payment captured", async () => (await seeder.order(orderId)).payment_status === "captured")

    await openOrder(orderId)
    expect(await widget().locator("[data-testid=coingate-header-status]").innerText()).toBe("Paid")
    expect(await text("coingate-price")).toContain("158.00 EUR")
    expect(await text("coingate-underpaid")).toContain(`${underpaid.underpaid_amount} LTC missing`)
    const paid = await text("coingate-paid")
    expect(paid).toContain(`${underpaid.blockchain_transactions[0].amount} LTC`)
    expect(paid).toContain(`of ${underpaid.pay_amount} LTC due`)
    const history = await text("coingate-history")
    expect(history).toContain("Awaiting payment")
    expect(history).toContain("Paid")
    await screenshot("order-underpaid")
  })

  it("shows an expired order: the order placed while confirming was canceled", async () => {
    const { cartId, coingateOrderId } = await seeder.checkout("expired@example.com")
    await stack.sim.pay(coingateOrderId, { kind: "full", payCurrency: "ETH", confirm: false })
    const orderId = await seeder.complete(cartId)
    await expire(coingateOrderId)
    await until("the order canceled", async () => (await seeder.order(orderId)).status === "canceled")

    await openOrder(orderId)
    expect(await widget().locator("[data-testid=coingate-header-status]").innerText()).toBe("Expired")
    expect(await text("coingate-expiry")).toMatch(/^Expired/)
    expect(await text("coingate-medusa-state")).toContain("Canceled")
    expect(await text("coingate-receive")).toContain("-")
    const history = await text("coingate-history")
    expect(history).toContain("Confirming")
    expect(history).toContain("Expired")
    expect(await text("coingate-transactions")).toContain("0 confirmations")
    await screenshot("order-expired")
  })

  it("shows no amount due on an invoice that closed unpaid (order first: a coin chosen, then expired)", async () => {
    const { cartId, coingateOrderId } = await seeder.checkout("closed@example.com", 1, "order_first")
    const orderId = await seeder.complete(cartId)
    await stack.sim.chooseCoin(coingateOrderId, "BTC")
    await expire(coingateOrderId)
    await until("the order canceled", async () => (await seeder.order(orderId)).status === "canceled")

    await openOrder(orderId)
    expect(await widget().locator("[data-testid=coingate-header-status]").innerText()).toBe("Expired")
    const paid = await text("coingate-paid")
    expect(paid).toContain("nothing")
    expect(paid).not.toContain("due")
  })

  it("refreshes from CoinGate, shows the flag of a payment after cancellation, and marks it handled", async () => {
    const { cartId, coingateOrderId } = await seeder.checkout("late@example.com")
    await stack.sim.pay(coingateOrderId, { kind: "full", payCurrency: "BTC", confirm: false })
    const orderId = await seeder.complete(cartId)
    await expire(coingateOrderId)
    await until("the order canceled", async () => (await seeder.order(orderId)).status === "canceled")
    // The funds confirm after all, and CoinGate's callback does not arrive.
    await stack.sim.setStatus(coingateOrderId, "paid", { callback: false })

    await openOrder(orderId)
    expect(await widget().locator("[data-testid=coingate-header-status]").innerText()).toBe("Expired")
    await widget().locator("[data-testid=coingate-refresh]").click()
    await widget().locator("[data-testid=coingate-header-status]", { hasText: "Paid" }).waitFor({ timeout: 20_000 })
    const attention = widget().locator("[data-testid=coingate-attention]")
    await attention.waitFor()
    expect(await attention.innerText()).toContain("Paid after cancellation")
    const history = await text("coingate-history")
    expect(history).toContain("admin refresh")
    await screenshot("order-attention")

    await attention.locator("[data-testid=coingate-mark-handled]").click()
    await attention.waitFor({ state: "detached", timeout: 20_000 })
    const view = await seeder.coingateView(orderId)
    expect(view.payments[0].attention).toBeNull()
  })

  it("shows the settings: sandbox, callback URL, last callback, and a passing connection test", async () => {
    await page.goto(`${stack.url}/app/settings/coingate`)
    const provider = page.locator("[data-testid=coingate-provider]")
    await provider.waitFor({ timeout: 30_000 })
    expect(await provider.locator("[data-testid=coingate-mode]").innerText()).toBe("Sandbox")
    expect(await provider.locator("[data-testid=coingate-callback-url]").innerText()).toContain(`${stack.url}/hooks/coingate`)
    expect(await provider.locator("[data-testid=coingate-api-origin]").innerText()).toContain(stack.sim.url)
    expect(await provider.locator("[data-testid=coingate-last-callback]").innerText()).toMatch(/order #\d+/)
    // The settings page is listed in the admin's settings menu.
    expect(await page.locator("a[href='/app/settings/coingate']").count()).toBeGreaterThan(0)

    await provider.locator("[data-testid=coingate-test-connection]").click()
    const result = provider.locator("[data-testid=coingate-test-result]")
    await result.waitFor({ timeout: 20_000 })
    expect(await result.getAttribute("data-ok")).toBe("true")
    expect(await result.innerText()).toContain("Connected")
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-settings.png") })

    // Nothing the admin loaded contains the API token.
    expect(await page.content()).not.toContain("sim_browser_token")
  })

  it("logged no errors from the CoinGate extensions in the browser console", () => {
    expect(consoleErrors.filter((e) => /coingate/i.test(e))).toEqual([])
  })
})
