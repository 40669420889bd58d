// @ts-check
"use strict"

const vm = require("vm")
const { startSimulator } = require("..")
const { client, startReceiver, waitUntil } = require("./helpers")

/** @type {import("..").Simulator} */
let sim
/** @type {Awaited<ReturnType<typeof startReceiver>>} */
let receiver
/** @type {import("axios").AxiosInstance} */
let web

beforeAll(async () => {
  sim = await startSimulator({ retryDelaysMs: [] })
  receiver = await startReceiver()
  web = client(sim.url, null)
  web.defaults.maxRedirects = 0
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})
beforeEach(() => {
  sim.reset()
  receiver.received.length = 0
})

/** Creates an order and returns its id and invoice path. @param {Record<string, unknown>} [body] */
async function invoice(body = {}) {
  const { data } = await client(sim.url).post("/v2/orders", { title: "Test order", description: "1 x Test item",
    price_amount: "25.00", price_currency: "EUR", title: "Acme <Store>", order_id: "cart_9",
    callback_url: receiver.url, success_url: "http://shop.test/success?c=1&d=2", cancel_url: "http://shop.test/cancel", ...body,
  })
  return { id: /** @type {number} */ (data.id), path: new URL(data.payment_url).pathname }
}

const json = { headers: { Accept: "application/json" } }
/** What a browser sends for a plain form post. */
const browser = { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8", "Content-Type": "application/x-www-form-urlencoded" } }
/** Callbacks received for one order (earlier tests' callbacks may still trickle in). @param {number} id */
const statusesOf = (id) => receiver.received.filter((r) => r.body.id === String(id)).map((r) => r.body.status)

describe("hosted invoice page", () => {
  it("renders a self-contained checkout with identifiable controls", async () => {
    const { id, path } = await invoice()
    const res = await web.get(path)
    expect(res.status).toBe(200)
    expect(res.headers["content-type"]).toMatch(/^text\/html/)
    const html = /** @type {string} */ (res.data)
    expect(html).toContain("Acme &#60;Store&#62;")
    expect(html).not.toContain("Acme <Store>")
    expect(html).toContain(`<span id="price-amount">25.0</span> <span id="price-currency">EUR</span>`)
    for (const el of ["coin-BTC", "coin-ETH", "coin-LTC", "coin-USDT", "pay-full", "pay-under", "pay-late", "cancel", "status", "back-to-store", "countdown"]) {
      expect(html).toContain(`id="${el}"`)
    }
    expect(html).toMatch(/<span id="status" data-status="new">new<\/span>/)
    // Self-contained: no external script, style or image (the only absolute link is the way back to the store).
    expect(html).not.toMatch(/src="https?:|<link[^>]+href="https?:/)
    expect(html.match(/href="https?:[^"]*"/g)).toEqual([`href="http://shop.test/cancel"`])
    expect(html).not.toContain(/** @type {any} */ (sim.getOrder(id)).token)
  })

  it("ships inline JS that compiles and renders against a minimal DOM", async () => {
    const { path } = await invoice()
    await web.post(`${path}/select`, "currency=LTC", json)
    const html = /** @type {string} */ ((await web.get(path)).data)
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] || ""
    /** @type {Record<string, any>} */
    const elements = {}
    const element = () => ({ textContent: "", disabled: false, href: "", classList: { toggle() {} }, setAttribute() {} })
    const context = {
      document: { getElementById: (/** @type {string} */ id) => (elements[id] ??= element()), querySelectorAll: () => [] },
      fetch: () => new Promise(() => {}),
      setInterval: () => 0,
      location: {},
      URLSearchParams, FormData: class {}, alert() {},
    }
    new vm.Script(script).runInNewContext(context)
    expect(elements.status.textContent).toBe("pending")
    expect(elements["pay-currency"].textContent).toBe("LTC")
    expect(elements["coin-BTC"].disabled).toBe(true)
    expect(elements.countdown.textContent).toMatch(/^(19|20):\d\d$/)
  })

  it("answers 404 for unknown invoices", async () => {
    expect((await web.get("/invoice/00000000-0000-0000-0000-000000000000")).status).toBe(404)
    expect((await web.get("/invoice/nope/status", json)).data.reason).toBe("OrderNotFound")
  })

  it("choosing a coin by form post moves the order to pending and redirects back", async () => {
    const { id, path } = await invoice()
    const res = await web.post(`${path}/select`, "currency=ETH", browser)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe(path)
    expect(sim.getOrder(id)).toMatchObject({ status: "pending", pay_currency: "ETH", pay_amount: "0.01" })
    const status = (await web.get(`${path}/status`)).data
    expect(status).toMatchObject({ status: "pending", pay_currency: "ETH", pay_amount: "0.01", success_url: "http://shop.test/success?c=1&d=2" })
    expect(Date.parse(status.expire_at) - Date.now()).toBeGreaterThan(19 * 60_000)
    expect(status.token).toBeUndefined()
    const page = (await web.get(path)).data
    expect(page).toContain(`id="pay-address">${sim.getOrder(id)?.payment_address}<`)
    await waitUntil(() => statusesOf(id).length === 1)
    expect(receiver.received.find((r) => r.body.id === String(id))?.body).toMatchObject({ status: "pending", pay_currency: "ETH" })
  })

  it("paying in full shows the back-to-store link to success_url", async () => {
    const { id, path } = await invoice()
    const res = await web.post(`${path}/pay`, { kind: "full", currency: "USDT" }, json)
    expect(res.data).toMatchObject({ status: "paid", pay_currency: "USDT" })
    expect(sim.getOrder(id)?.status).toBe("paid")
    const page = (await web.get(path)).data
    expect(page).toContain(`<a id="back-to-store" href="http://shop.test/success?c=1&#38;d=2">`)
    expect(page).toMatch(/<button type="submit" id="pay-full" disabled>/)
    await waitUntil(() => statusesOf(id).length === 3)
    expect(statusesOf(id)).toEqual(["pending", "confirming", "paid"])
  })

  it("underpaying keeps the order pending with the shortfall shown", async () => {
    const { path } = await invoice()
    await web.post(`${path}/select`, "currency=BTC", json)
    const res = await web.post(`${path}/pay`, "kind=underpay", json)
    expect(res.data).toMatchObject({ status: "pending", pay_amount: "0.0005", underpaid_amount: "0.00005" })
    expect((await web.get(path)).data).toMatch(/id="underpaid" class="warn ">/)
  })

  it("paying late expires the invoice first, then pays it", async () => {
    const { id, path } = await invoice()
    const res = await web.post(`${path}/pay`, "kind=late", browser)
    expect(res.status).toBe(303)
    expect(sim.getOrder(id)?.status_history.map((h) => h.status)).toEqual(["new", "pending", "expired", "paid"])
    await waitUntil(() => statusesOf(id).length === 3)
    expect(statusesOf(id)).toEqual(["pending", "expired", "paid"])
  })

  it("cancel redirects to cancel_url and refuses further cancels", async () => {
    const { id, path } = await invoice()
    const res = await web.post(`${path}/cancel`, "", browser)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe("http://shop.test/cancel")
    expect(sim.getOrder(id)?.status).toBe("canceled")
    const again = await web.post(`${path}/cancel`, "", json)
    expect(again.status).toBe(422)
    expect(again.data.reason).toBe("OrderIsNotValid")
    expect((await web.get(path)).data).toContain(`<a id="back-to-store" href="http://shop.test/cancel">`)
  })

  it("uses publicUrl for payment_url when given", async () => {
    const s = await startSimulator({ publicUrl: "https://pay.example.test/" })
    try {
      const { data } = await client(s.url).post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "1", price_currency: "EUR" })
      expect(data.payment_url).toMatch(/^https:\/\/pay\.example\.test\/invoice\/[0-9a-f-]{36}$/)
    } finally {
      await s.close()
    }
  })
})

describe("hosted invoice page, as CoinGate's reads", () => {
  it("names the order by its title, not by its internal id", async () => {
    const { id, path } = await invoice({ title: "Webshop order 1001" })
    const html = (await web.get(path)).data
    expect(html).toContain("<title>Webshop order 1001 · CoinGate simulator</title>")
    const visible = html.slice(0, html.indexOf("<script>"))
    expect(visible.split(String(id)).length - 1).toBeLessThanOrEqual(1) // once, as "invoice #id" under the title
  })

  it("disables every payment button while the payment confirms", async () => {
    const { id, path } = await invoice()
    await sim.pay(id, { confirm: false })
    const html = (await web.get(path)).data
    for (const b of ["pay-full", "pay-under", "pay-late", "cancel"]) expect(html).toMatch(new RegExp(`id="${b}" disabled>`))
  })

  it("offers the way back to the store before paying (cancel_url), and to success_url once the money is sent", async () => {
    const { id, path } = await invoice()
    expect((await web.get(path)).data).toMatch(/<a id="back-to-store" href="http:\/\/shop.test\/cancel">Return to store without paying<\/a>/)
    await sim.chooseCoin(id, "BTC")
    expect((await web.get(path)).data).toContain(`<a id="back-to-store" href="http://shop.test/cancel">`)
    await sim.pay(id, { confirm: false })
    expect((await web.get(path)).data).toContain(`<a id="back-to-store" href="http://shop.test/success?c=1&#38;d=2">Back to store</a>`)
  })

  it("asks an underpaid shopper for what is still due, not for the full amount", async () => {
    const { id, path } = await invoice()
    await sim.chooseCoin(id, "BTC")
    await sim.pay(id, { kind: "underpay" })
    const order = sim.getOrder(id)
    const html = (await web.get(path)).data
    expect(html).toContain(`<b id="pay-amount">${order.underpaid_amount}</b>`)
    expect(html).not.toContain(`<b id="pay-amount">${order.pay_amount}</b>`)
    expect(html).toContain(`of ${order.pay_amount}; <span id="underpaid-amount">${order.underpaid_amount} BTC</span> still due`)
  })

  it("answers /favicon.ico with 204", async () => {
    expect((await web.get("/favicon.ico")).status).toBe(204)
  })
})
