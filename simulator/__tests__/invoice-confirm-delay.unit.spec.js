// @ts-check
"use strict"

const { startSimulator } = require("..")
const { client, startReceiver, waitUntil } = require("./helpers")

// confirmDelayMs (used by `npm run demo`): a payment made on the invoice page shows
// `confirming` first, and becomes `paid` after the delay, each with its callback.
describe("invoice page with confirmDelayMs", () => {
  /** @type {import("..").Simulator} */
  let sim
  /** @type {Awaited<ReturnType<typeof startReceiver>>} */
  let receiver
  beforeAll(async () => {
    sim = await startSimulator({ retryDelaysMs: [], confirmDelayMs: 300 })
    receiver = await startReceiver()
  })
  afterAll(async () => {
    await sim.close()
    await receiver.close()
  })

  it("moves pending -> confirming -> paid", async () => {
    const { data } = await client(sim.url).post("/v2/orders", { title: "Test order", description: "1 x Test item",
      price_amount: "10.00", price_currency: "EUR", order_id: "payses_1", callback_url: receiver.url,
    })
    const path = new URL(data.payment_url).pathname
    const web = client(sim.url, null)
    const json = { headers: { Accept: "application/json" } }
    await web.post(`${path}/select`, "currency=BTC", json)
    const paid = await web.post(`${path}/pay`, "kind=full", json)
    expect(paid.data.status).toBe("confirming")
    expect((await web.get(`${path}/status`)).data.status).toBe("confirming")
    await waitUntil(() => sim.getOrder(data.id)?.status === "paid", 3000, "paid")
    await waitUntil(() => receiver.received.length === 3, 3000, "3 callbacks")
    expect(receiver.received.map((r) => r.body.status)).toEqual(["pending", "confirming", "paid"])
  })
})
