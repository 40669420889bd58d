// @ts-check
"use strict"

const { startSimulator } = require("..")
const { RateLimiter } = require("../faults")
const { client } = require("./helpers")

describe("rate limit: Retry-After and counts per order", () => {
  it("a 429 past the limit says how long until the window has room", async () => {
    const limited = await startSimulator({ rateLimitPerMinute: 2 })
    try {
      const c = client(limited.url)
      await c.get("/v2/auth/test")
      await c.get("/v2/auth/test")
      const res = await c.get("/v2/auth/test")
      expect(res.status).toBe(429)
      expect(Number(res.headers["retry-after"])).toBeGreaterThanOrEqual(59)
      expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(60)
    } finally {
      await limited.close()
    }
  })

  it("RateLimiter.retryAfterSeconds follows the oldest request in the window", () => {
    const limiter = new RateLimiter(1)
    expect(limiter.hit(0)).toBe(true)
    expect(limiter.hit(15_000)).toBe(false)
    expect(limiter.retryAfterSeconds(15_000)).toBe(45)
    expect(limiter.retryAfterSeconds(59_900)).toBe(1)
  })

  it("a 429 fault sends the Retry-After it was given, none otherwise", async () => {
    const sim = await startSimulator()
    try {
      const c = client(sim.url)
      sim.injectFault({ path: "/v2/auth/test", kind: "429", retryAfter: 7 })
      sim.injectFault({ path: "/v2/auth/test", kind: "429" })
      expect((await c.get("/v2/auth/test")).headers["retry-after"]).toBe("7")
      const plain = await c.get("/v2/auth/test")
      expect(plain.status).toBe(429)
      expect(plain.headers["retry-after"]).toBeUndefined()
    } finally {
      await sim.close()
    }
  })

  it("stats().byOrder counts the requests naming each order", async () => {
    const sim = await startSimulator()
    try {
      const c = client(sim.url)
      const { data: a } = await c.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "5", price_currency: "EUR" })
      const { data: b } = await c.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "6", price_currency: "EUR" })
      await c.get(`/v2/orders/${a.id}`)
      await c.get(`/v2/orders/${a.id}`)
      await c.get(`/v2/orders/${b.id}/refunds`)
      await c.get("/v2/orders")
      expect(sim.stats().byOrder).toEqual({ [a.id]: 2, [b.id]: 1 })
    } finally {
      await sim.close()
    }
  })
})
