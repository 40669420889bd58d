import fs from "fs"
import path from "path"
import type { Browser, Locator, Page } from "playwright-core"
import { screenshotsDir } from "./screenshots"
import { StoreSeeder, until } from "./admin-seed"
import { ADMIN_EMAIL, ADMIN_PASSWORD, AdminStack, CHROMIUM_ARGS, CHROMIUM_PATH, startAdminStack } from "./admin-stack"

/**
 * The CoinGate page (src/admin/routes/coingate, the operations console) in the development
 * store's real Medusa admin, driven by headless Chromium: it opens on the attention queue
 * with its count, filters, opens an orphan payment (paid for a replaced checkout, no order),
 * refreshes it from CoinGate, marks it handled, then shows the callback log and the totals.
 * Screenshots go to <screenshots>/admin-console-*.png (docs/screenshots with `npm run docs:screenshots`).
 */

const SCREENSHOTS = screenshotsDir()
const VIEWPORT = { width: 1440, height: 1000 }
const chromiumInstalled = fs.existsSync(CHROMIUM_PATH)
if (!chromiumInstalled) {
  process.stdout.write(
    `SKIPPED: admin console browser test: no Chromium at ${CHROMIUM_PATH}. Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.\n`
  )
}
const describeWithChromium = chromiumInstalled ? describe : describe.skip

jest.setTimeout(120_000)

const log = (line: string) => process.stdout.write(`[admin-console] ${line}\n`)

describeWithChromium("The CoinGate page in the Medusa admin (headless Chromium)", () => {
  let stack: AdminStack
  let seeder: StoreSeeder
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  // The store's invoices: one paid with its order, one waiting for the shopper, one orphan.
  const seeded = { paid: 0, paidOrderId: "", paidDisplayId: 0, pending: 0, orphan: 0 }
  let orphanSessionId = ""

  beforeAll(async () => {
    const t0 = Date.now()
    stack = await startAdminStack({ log })
    seeder = new StoreSeeder(stack.url, stack.sim)
    await seeder.setup()

    const paid = await seeder.checkout("paid@example.com")
    await stack.sim.pay(paid.coingateOrderId, { kind: "full", payCurrency: "BTC" })
    const orderId = await seeder.complete(paid.cartId)
    await until("the payment captured", async () => (await seeder.order(orderId)).payment_status === "captured")
    seeded.paid = paid.coingateOrderId
    seeded.paidOrderId = orderId
    seeded.paidDisplayId = (await seeder.order(orderId)).display_id
    const pending = await seeder.checkout("pending@example.com")
    await stack.sim.chooseCoin(pending.coingateOrderId, "LTC") // its callback makes the record
    seeded.pending = pending.coingateOrderId
    const orphan = await seeder.orphan("orphan@example.com")
    seeded.orphan = orphan.coingateOrderId
    orphanSessionId = orphan.sessionId
    await until("the three invoices listed, the orphan flagged", async () => {
      const { data } = await seeder.admin.get("/admin/coingate/payments")
      return data.count === 3 && data.attention_count === 1
    })

    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { chromium } = require("playwright-core")
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-US", timezoneId: "UTC" })
    page = await context.newPage()
    page.on("pageerror", (e) => pageErrors.push(String(e)))
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

  const invoices = () => page.locator("[data-testid=console-payments]")
  const rows = () => invoices().locator("tbody tr")
  const row = (coingateOrderId: number) => rows().filter({ hasText: `#${coingateOrderId}` })
  const drawer = () => page.locator("[data-testid=console-drawer]")

  /** Waits for the table to show exactly these invoices (in this order: newest first). */
  async function expectRows(ids: number[]) {
    await until(`the rows ${ids.join(", ")}`, async () => {
      const texts = await rows().allInnerTexts()
      return texts.length === ids.length && ids.every((id, i) => texts[i].includes(`#${id}`))
    })
  }

  async function screenshot(name: string, target?: Locator) {
    await page.evaluate(() => document.fonts.ready)
    await page.waitForTimeout(400) // the drawer's slide-in and the table's re-render
    const file = path.join(SCREENSHOTS, `admin-console-${name}.png`)
    await (target ? target.screenshot({ path: file }) : page.screenshot({ path: file }))
  }

  it("is in the main navigation and opens on the attention queue, with the count", async () => {
    const link = page.locator("a[href='/app/coingate']").first()
    await link.waitFor({ timeout: 30_000 })
    await link.click()
    await row(seeded.orphan).waitFor({ timeout: 30_000 })
    expect(await page.locator("[data-testid=console-attention-count]").innerText()).toBe("1 needs attention")
    expect(await page.locator("[data-testid=console-view-attention]").innerText()).toBe("Needs attention (1)")
    await expectRows([seeded.orphan])
    const orphan = await row(seeded.orphan).innerText()
    expect(orphan).toContain("no order")
    expect(orphan).toContain("Paid for a replaced checkout")
    expect(orphan).toMatch(/79(\.0+)? EUR/) // the invoice's price: the cart before it changed
    expect(orphan).toContain("BTC")
    const dashboard = row(seeded.orphan).locator("[data-testid=console-dashboard-link]")
    expect(await dashboard.getAttribute("href")).toBe(stack.sim.getOrder(seeded.orphan).payment_url) // the simulator's invoice page
    // The export takes the view's filters, and the link downloads with the admin's session.
    const href = await page.locator("[data-testid=console-export]").getAttribute("href")
    expect(href).toBe("/admin/coingate/payments/export?attention=true")
    const csv = await page.request.get(`${stack.url}${href}`)
    expect(csv.status()).toBe(200)
    expect(csv.headers()["content-type"]).toContain("text/csv")
    const lines = (await csv.text()).trim().split(/\r?\n/)
    expect(lines).toHaveLength(2) // the header and the orphan
    expect(lines[1]).toContain(String(seeded.orphan))
    await screenshot("attention")
  })

  it("shows every invoice newest first, searches by email, and filters by CoinGate status", async () => {
    await page.locator("[data-testid=console-view-all]").click()
    await expectRows([seeded.orphan, seeded.pending, seeded.paid])
    const paid = row(seeded.paid)
    const orderLink = paid.locator("[data-testid=console-order-link]")
    expect(await orderLink.innerText()).toBe(`#${seeded.paidDisplayId}`)
    expect(await orderLink.getAttribute("href")).toBe(`/app/orders/${seeded.paidOrderId}`) // the admin's order page
    expect(await row(seeded.pending).innerText()).toContain("Awaiting payment")

    const search = invoices().locator("input[type=search]")
    await search.fill("PAID@example.com") // any case
    await expectRows([seeded.paid])
    await search.fill("")
    await expectRows([seeded.orphan, seeded.pending, seeded.paid])

    // The DataTable's own filter menu: CoinGate status = Paid.
    await invoices().locator("[data-testid=console-filter-menu] button").click()
    await page.getByRole("menuitem", { name: "CoinGate status" }).click()
    const menu = page.locator("[data-radix-popper-content-wrapper]")
    await menu.getByRole("button", { name: "Paid", exact: true }).click()
    await page.locator("h1", { hasText: "CoinGate" }).click() // a click outside closes the menu (Escape does not)
    // The filter menu and its value list are two popper wrappers, and either may linger while closing: wait for none.
    await page.waitForFunction(() => !document.querySelector("[data-radix-popper-content-wrapper]"))
    await expectRows([seeded.orphan, seeded.paid])
    expect(await page.locator("[data-testid=console-export]").getAttribute("href")).toBe("/admin/coingate/payments/export?status=paid")
    await screenshot("filtered")

    // Back to the queue (the status filter stays until removed).
    await page.locator("[data-testid=console-view-attention]").click()
    await expectRows([seeded.orphan])
  })

  it("opens the orphan, refreshes it from CoinGate and marks it handled: the flag and the count go", async () => {
    // CoinGate's dashboard refunded the orphan; no callback told the store.
    await stack.sim.setStatus(seeded.orphan, "refunded", { callback: false })
    await page.locator("[data-testid=console-view-attention]").click()
    await expectRows([seeded.orphan])
    await row(seeded.orphan).click()
    await drawer().waitFor()
    const details = drawer().locator("[data-testid=coingate-payment]")
    await details.waitFor({ timeout: 20_000 })
    // The session was gone when the payment arrived: the record knows no order (and no cart).
    const origin = await drawer().locator("[data-testid=console-drawer-origin]").innerText()
    expect(origin).toMatch(/Medusa order\s+no order/)
    expect(origin).toContain(orphanSessionId)
    const attention = drawer().locator("[data-testid=coingate-attention]")
    expect(await attention.innerText()).toContain("Paid for a replaced checkout")
    expect(await drawer().locator("[data-testid=coingate-status]").innerText()).toBe("Paid")
    expect(await drawer().locator("[data-testid=console-record-callbacks]").innerText()).toContain("Accepted")

    await drawer().locator("[data-testid=console-refresh]").click()
    await drawer().locator("[data-testid=coingate-status]", { hasText: "Refunded" }).waitFor({ timeout: 20_000 })
    expect(await drawer().locator("[data-testid=coingate-history]").innerText()).toMatch(/Refunded[\s\S]*admin refresh/)
    expect(await attention.innerText()).toContain("Paid for a replaced checkout") // a flag stays until a person clears it
    await screenshot("drawer", drawer())

    await attention.locator("[data-testid=coingate-mark-handled]").click()
    await attention.waitFor({ state: "detached", timeout: 20_000 })
    await page.locator("[data-testid=console-attention-count]", { hasText: "0 need attention" }).waitFor({ timeout: 20_000 })
    const { data } = await seeder.admin.get("/admin/coingate/payments", { params: { q: String(seeded.orphan) } })
    expect(data.payments[0]).toMatchObject({ status: "refunded", attention: null })
    expect(data.attention_count).toBe(0)

    await page.keyboard.press("Escape")
    await drawer().waitFor({ state: "detached" })
    await expectRows([]) // the queue is empty now
    // With nothing flagged, the page opens on every invoice.
    await page.reload()
    await expectRows([seeded.orphan, seeded.pending, seeded.paid])
    expect(await page.locator("[data-testid=console-view-attention]").innerText()).toBe("Needs attention (0)")
  })

  it("shows the callback log: outcome, answer and the body without the callback token", async () => {
    await page.locator("[data-testid=console-tab-callbacks]").click()
    const log = page.locator("[data-testid=console-callbacks]")
    const entries = log.locator("tbody tr")
    await entries.first().waitFor({ timeout: 20_000 })
    await log.locator("input[type=search]").fill(String(seeded.orphan))
    await until("the orphan's callbacks only", async () => {
      const texts = await entries.allInnerTexts()
      return texts.length > 0 && texts.every((t) => t.includes(`#${seeded.orphan}`))
    })
    const text = (await entries.allInnerTexts()).join("\n")
    expect(text).toContain("Accepted")
    expect(text).toContain("/hooks/coingate")
    await screenshot("callbacks")

    await entries.first().click()
    const body = page.locator("[data-testid=console-callback-drawer]")
    await body.waitFor()
    expect(await body.innerText()).toContain(String(seeded.orphan))
    expect(await page.content()).not.toContain(stack.sim.getOrder(seeded.orphan).token)
    await page.keyboard.press("Escape")
    await body.waitFor({ state: "detached" })
  })

  it("shows the totals of the last 30 days per price currency and per status", async () => {
    await page.locator("[data-testid=console-tab-totals]").click()
    const totals = page.locator("[data-testid=console-totals]")
    await totals.locator("[data-testid=console-totals-count]").waitFor({ timeout: 20_000 })
    expect(await totals.locator("[data-testid=console-totals-count]").innerText()).toMatch(/^3 invoices/)
    const currencies = await totals.locator("[data-testid=console-totals-by-currency] tbody").innerText()
    expect(currencies).toMatch(/EUR\s+3\s+237(\.0+)? EUR/)
    const statuses = await totals.locator("[data-testid=console-totals-by-status] tbody").innerText()
    expect(statuses).toContain("Refunded")
    expect(statuses).toContain("Awaiting payment")
    await screenshot("totals")
  })

  it("threw no errors in the page", () => {
    expect(pageErrors).toEqual([])
  })
})
