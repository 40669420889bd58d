// @ts-check
"use strict"

const fs = require("fs")
const os = require("os")
const path = require("path")
const { startSimulator } = require("..")
const { parseArgs } = require("../cli")
const { client, waitUntil } = require("./helpers")

/** @type {string} */
let dir
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "coingate-sim-state-"))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const body = { price_amount: "100", price_currency: "EUR", title: "Order #1", description: "1 x Item", order_id: "cart_1" }

describe("state file", () => {
  it("keeps orders, refunds, the ledger and the API callback log across a restart", async () => {
    const file = path.join(dir, "nested", "state.json")
    const first = await startSimulator({ stateFile: file, retryDelaysMs: [] })
    const api = client(first.url)
    const order = (await api.post("/v2/orders", { ...body, callback_url: "http://127.0.0.1:1/cb" })).data
    const pending = (await api.post("/v2/orders", { ...body, order_id: "cart_2" })).data
    await first.pay(order.id)
    await first.chooseCoin(pending.id, "ETH")
    const refund = (await api.post(`/v2/orders/${order.id}/refunds`, {
      amount: "10", address: "bc1qx", currency_id: 1, platform_id: 2, reason: "r", email: "a@b.co", ledger_account_id: "01JNQWKKJ6WXN8BZT1Y66B6EUR",
    })).data
    await waitUntil(() => first.callbackLog.length >= 3, 3000, "callbacks")
    const before = {
      order: (await api.get(`/v2/orders/${order.id}`)).data,
      pending: (await api.get(`/v2/orders/${pending.id}`)).data,
      refund: (await api.get(`/v2/orders/${order.id}/refunds/${refund.id}`)).data,
      ledger: (await api.get("/v2/ledger/transactions")).data,
      accounts: (await api.get("/v2/ledger/accounts")).data,
      callbacks: (await api.get("/v2/api_callbacks")).data,
    }
    await first.close()
    expect(fs.readdirSync(path.dirname(file))).toEqual(["state.json"]) // written atomically: no temporary file left

    const second = await startSimulator({ stateFile: file })
    const again = client(second.url)
    try {
      expect((await again.get(`/v2/orders/${order.id}`)).data).toEqual(before.order)
      expect((await again.get(`/v2/orders/${pending.id}`)).data).toEqual(before.pending)
      expect((await again.get(`/v2/orders/${order.id}/refunds/${refund.id}`)).data).toEqual(before.refund)
      expect((await again.get("/v2/ledger/transactions")).data).toEqual(before.ledger)
      expect((await again.get("/v2/ledger/accounts")).data).toEqual(before.accounts)
      expect((await again.get("/v2/api_callbacks")).data).toEqual(before.callbacks)
      // New ids continue after the saved ones; the pending invoice can still be paid.
      const next = (await again.post("/v2/orders", { ...body, order_id: "cart_3" })).data
      expect(next.id).toBeGreaterThan(pending.id)
      await second.pay(pending.id, { payCurrency: "ETH" })
      expect(second.getOrder(pending.id).status).toBe("paid")
    } finally {
      await second.close()
    }
  })

  it("saves shortly after a change, without waiting for close()", async () => {
    const file = path.join(dir, "state.json")
    const sim = await startSimulator({ stateFile: file })
    try {
      const order = (await client(sim.url).post("/v2/orders", body)).data
      await waitUntil(() => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, "utf8")).orders.list.some((/** @type {any} */ o) => o.id === order.id), 2000, "the state file")
    } finally {
      await sim.close()
    }
  })

  it("expires a restored unpaid invoice at its own time", async () => {
    const file = path.join(dir, "state.json")
    const first = await startSimulator({ stateFile: file, pendingTtlMs: 300 })
    const order = (await client(first.url).post("/v2/orders", body)).data
    await first.chooseCoin(order.id)
    await first.close()
    const second = await startSimulator({ stateFile: file, pendingTtlMs: 300 })
    try {
      expect(second.getOrder(order.id).status).toBe("pending")
      await waitUntil(() => second.getOrder(order.id).status === "expired", 3000, "expiry")
    } finally {
      await second.close()
    }
  })

  it("refuses a file that is not a simulator state", async () => {
    const file = path.join(dir, "state.json")
    fs.writeFileSync(file, JSON.stringify({ hello: "world" }))
    expect(() => startSimulator({ stateFile: file })).toThrow(/not a simulator state file/)
  })
})

describe("CLI options", () => {
  it("reads --state-file, else COINGATE_SIM_STATE_FILE, and the limits", () => {
    expect(parseArgs(["--state-file", "/tmp/a.json"], {})).toMatchObject({ stateFile: "/tmp/a.json" })
    expect(parseArgs([], { COINGATE_SIM_STATE_FILE: "/tmp/b.json" })).toMatchObject({ stateFile: "/tmp/b.json" })
    expect(parseArgs([], {}).stateFile).toBeUndefined()
    expect(parseArgs(["--rate-limit", "0", "--order-quota=50"], {})).toMatchObject({ rateLimitPerMinute: 0, orderQuotaPerHour: 50 })
  })
})
