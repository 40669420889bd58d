import { LATE_PAYMENT_WATCH_MS, nextCheckAt } from "../schedule"

const now = new Date("2026-01-01T12:00:00Z")
const MIN = 60_000
const after = (status: any, createdAt?: Date) => {
  const next = nextCheckAt(status, { now, createdAt })
  return next ? next.getTime() - now.getTime() : null
}

describe("reconciliation schedule", () => {
  it("reads moving orders again at their pace", () => {
    expect(after("confirming")).toBe(MIN)
    expect(after("pending")).toBe(2 * MIN)
    expect(after("new")).toBe(10 * MIN)
  })

  it("watches expired and canceled invoices every 30 minutes for a late payment, for 24 hours after creation", () => {
    expect(after("expired", new Date(now.getTime() - 60 * MIN))).toBe(30 * MIN)
    expect(after("canceled", new Date(now.getTime() - 60 * MIN))).toBe(30 * MIN)
    // The last check falls on the end of the window, not after it.
    expect(after("expired", new Date(now.getTime() - LATE_PAYMENT_WATCH_MS + 10 * MIN))).toBe(10 * MIN)
    expect(after("expired", new Date(now.getTime() - LATE_PAYMENT_WATCH_MS))).toBeNull()
    expect(after("canceled", new Date(now.getTime() - 2 * LATE_PAYMENT_WATCH_MS))).toBeNull()
    // Without a creation time the window starts now.
    expect(after("expired")).toBe(30 * MIN)
  })

  it("stops once nothing can change", () => {
    for (const status of ["paid", "invalid", "refunded", "partially_refunded"]) {
      expect(after(status)).toBeNull()
    }
  })
})
