import { CallbackEntry, FLUSH_EVERY_MS, flushCallbackCounts, INDIVIDUAL_PER_MINUTE, recordCallback } from "../record"

/** A container whose coingate module keeps rows in memory (or fails), and whose logger keeps warnings. */
function fakeContainer({ failing = false } = {}) {
  const rows: any[] = []
  const warnings: string[] = []
  let n = 0
  const coingate = {
    createCoinGateCallbacks: async (data: any) => {
      if (failing) throw new Error("database down")
      const row = { id: `cgcb_${++n}`, ...data }
      rows.push(row)
      return row
    },
    updateCoinGateCallbacks: async (data: any) => {
      Object.assign(rows.find((r) => r.id === data.id), data)
      return data
    },
  }
  const container = { resolve: (key: string) => (key === "coingate" ? coingate : { warn: (m: string) => warnings.push(m) }) } as any
  return { container, rows, warnings, writes: () => n }
}

const entry = (over: Partial<CallbackEntry> = {}): CallbackEntry => ({
  kind: "order",
  route: "/hooks/coingate",
  outcome: "forged",
  answerStatus: 200,
  answer: "ignored: not verified",
  coingateOrderId: 7,
  paymentSessionId: "payses_1",
  body: { id: 7, token: "secret-token-1" },
  secrets: ["secret-token-1"],
  ...over,
})

describe("the callback log's writer", () => {
  it("stores a row per callback with the body's secrets removed and untrusted ids checked", async () => {
    const { container, rows } = fakeContainer()
    await recordCallback(container, entry({ route: "/r1", paymentSessionId: "bad id with spaces", receivedAt: new Date("2026-01-01T00:00:10Z") }))
    expect(rows).toEqual([
      expect.objectContaining({ kind: "order", route: "/r1", outcome: "forged", coingate_order_id: "7", payment_session_id: null, body: { id: 7 }, count: 1, aggregate: false }),
    ])
    expect(JSON.stringify(rows)).not.toContain("secret-token-1")
  })

  it("under a flood writes the budget's rows and one aggregate row that counts the rest", async () => {
    const { container, rows, writes } = fakeContainer()
    const at = new Date("2026-01-01T00:05:00Z")
    const budget = INDIVIDUAL_PER_MINUTE.forged
    for (let i = 0; i < 300; i++) await recordCallback(container, entry({ route: "/flood", receivedAt: at }))
    await flushCallbackCounts(container)
    const individual = rows.filter((r) => !r.aggregate)
    const aggregates = rows.filter((r) => r.aggregate)
    expect(individual).toHaveLength(budget)
    expect(aggregates).toEqual([expect.objectContaining({ count: 300 - budget, outcome: "forged", route: "/flood", body: null, received_at: new Date("2026-01-01T00:05:00Z") })])
    expect(aggregates[0].answer).toMatch(/270 more forged callbacks in this minute, counted/)
    expect(writes()).toBe(budget + 1)
    // More in the same minute: the same aggregate row's count is updated, no new row.
    for (let i = 0; i < 5; i++) await recordCallback(container, entry({ route: "/flood", receivedAt: at }))
    await flushCallbackCounts(container)
    expect(rows.filter((r) => r.aggregate)).toEqual([expect.objectContaining({ count: 275 })])
    // Another outcome and the next minute have budgets of their own.
    await recordCallback(container, entry({ route: "/flood", outcome: "accepted", receivedAt: at }))
    await recordCallback(container, entry({ route: "/flood", receivedAt: new Date("2026-01-01T00:06:00Z") }))
    expect(rows.filter((r) => !r.aggregate)).toHaveLength(budget + 2)
  })

  it("writes the aggregate count on its own a moment later", async () => {
    const { container, rows } = fakeContainer()
    const at = new Date()
    for (let i = 0; i < INDIVIDUAL_PER_MINUTE.malformed + 3; i++) await recordCallback(container, entry({ route: "/later", outcome: "malformed", receivedAt: at }))
    expect(rows.filter((r) => r.aggregate)).toHaveLength(0)
    await new Promise((r) => setTimeout(r, FLUSH_EVERY_MS + 300))
    expect(rows.filter((r) => r.aggregate)).toEqual([expect.objectContaining({ count: 3 })])
  })

  it("never throws: a failed write is a warning", async () => {
    const { container, warnings } = fakeContainer({ failing: true })
    await expect(recordCallback(container, entry({ route: "/down" }))).resolves.toBeUndefined()
    expect(warnings).toEqual([expect.stringMatching(/CoinGate callback log: order callback \(forged\) not written \(database down\)/)])
  })
})
