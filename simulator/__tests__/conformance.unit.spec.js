// @ts-check
"use strict"

/**
 * Runs every row of conformance-table.js (one documented CoinGate behaviour each, with its reference)
 * against a real simulator over HTTP, and prints how many rows pass.
 */
const { startSimulator } = require("..")
const { client, startReceiver } = require("./helpers")
const { ROWS } = require("./conformance-table")

jest.setTimeout(30_000)

/** @type {any} */
let sim
/** @type {any} */
let receiver
/** @type {any[]} simulators a row started, closed after it */
let extra = []
const results = { passed: 0, failed: /** @type {string[]} */ ([]) }

beforeAll(async () => {
  // CoinGate's own defaults, except the request limit (the rows together send more than 200 a minute;
  // the limit has a row of its own on a simulator of its own) and retries (a row sets its own).
  sim = await startSimulator({ rateLimitPerMinute: 0, retryDelaysMs: [] })
  receiver = await startReceiver()
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
  const total = ROWS.length
  // eslint-disable-next-line no-console
  console.log(`CoinGate conformance: ${results.passed} of ${total} rows pass${results.failed.length ? ` (failing: ${results.failed.join(", ")})` : ""}`)
})
afterEach(async () => {
  for (const s of extra) await s.close()
  extra = []
  receiver.setResponder(() => ({ status: 200, body: "ok" }))
})

/** @type {import("./conformance-table").Ctx} */
const ctx = {
  get api() {
    return client(sim.url, sim.options.apiTokens[0])
  },
  get pub() {
    return client(sim.url, null)
  },
  get sim() {
    return sim
  },
  get receiver() {
    return receiver
  },
  async order(body = {}) {
    const res = await client(sim.url, sim.options.apiTokens[0]).post("/v2/orders", {
      price_amount: "10.50", price_currency: "EUR", title: "Webshop order #1", description: "1 x Hardware wallet", order_id: "cart_1", ...body,
    })
    if (res.status !== 200) throw new Error(`create order: ${res.status} ${JSON.stringify(res.data)}`)
    return res.data
  },
  async start(options) {
    const s = await startSimulator(options)
    extra.push(s)
    return { sim: s, api: client(s.url, s.options.apiTokens[0]) }
  },
}

describe("CoinGate conformance (simulator/__tests__/conformance-table.js)", () => {
  for (const row of ROWS) {
    it(`${row.id}: ${row.says} [${row.ref}]`, async () => {
      try {
        await row.check(ctx)
        results.passed++
      } catch (e) {
        results.failed.push(row.id)
        throw e
      }
    })
  }
})
