import {
  DEFAULT_RECONCILE_REQUESTS_PER_MINUTE,
  MAX_RATE_LIMIT_BACKOFF_MS,
  RATE_LIMIT_BACKOFF_MS,
  RequestBudget,
  resolveRequestsPerMinute,
} from "../request-budget"

const T0 = 1_800_000_000_000

describe("RequestBudget", () => {
  it("allows perMinute requests in any sliding minute", () => {
    const budget = new RequestBudget(3)
    expect(budget.tryTake(T0)).toBe(true)
    expect(budget.tryTake(T0 + 10_000)).toBe(true)
    expect(budget.tryTake(T0 + 20_000)).toBe(true)
    expect(budget.tryTake(T0 + 30_000)).toBe(false)
    expect(budget.remaining(T0 + 59_999)).toBe(0)
    // The first request leaves the window one minute after it was made.
    expect(budget.remaining(T0 + 60_000)).toBe(1)
    expect(budget.tryTake(T0 + 60_000)).toBe(true)
    expect(budget.tryTake(T0 + 60_001)).toBe(false)
    expect(budget.remaining(T0 + 80_000)).toBe(2)
  })

  it("takes several at once only when they all fit", () => {
    const budget = new RequestBudget(5)
    expect(budget.tryTake(T0, 4)).toBe(true)
    expect(budget.tryTake(T0, 2)).toBe(false)
    expect(budget.remaining(T0)).toBe(1)
  })

  it("counts requests already made even past the limit (client retries)", () => {
    const budget = new RequestBudget(2)
    budget.tryTake(T0)
    budget.charge(T0, 3)
    expect(budget.remaining(T0 + 1000)).toBe(0)
    expect(budget.tryTake(T0 + 1000)).toBe(false)
    expect(budget.remaining(T0 + 60_000)).toBe(2)
  })

  it("gives back a reserve that was not needed", () => {
    const budget = new RequestBudget(4)
    expect(budget.tryTake(T0, 2)).toBe(true)
    expect(budget.tryTake(T0 + 1, 2)).toBe(true)
    expect(budget.remaining(T0 + 2)).toBe(0)
    budget.refund(1)
    expect(budget.remaining(T0 + 2)).toBe(1)
    budget.refund(5)
    expect(budget.remaining(T0 + 2)).toBe(4)
  })

  it("pauses after a 429, doubling while 429s keep coming, and starts over after a success", () => {
    const budget = new RequestBudget(60)
    expect(budget.noteRateLimited(T0)).toBe(T0 + RATE_LIMIT_BACKOFF_MS)
    expect(budget.remaining(T0 + RATE_LIMIT_BACKOFF_MS - 1)).toBe(0)
    expect(budget.tryTake(T0 + 1000)).toBe(false)
    expect(budget.pausedUntil(T0 + 1000)).toBe(T0 + RATE_LIMIT_BACKOFF_MS)
    expect(budget.remaining(T0 + RATE_LIMIT_BACKOFF_MS)).toBe(60)
    expect(budget.pausedUntil(T0 + RATE_LIMIT_BACKOFF_MS)).toBe(0)

    const t1 = T0 + RATE_LIMIT_BACKOFF_MS
    expect(budget.noteRateLimited(t1)).toBe(t1 + 2 * RATE_LIMIT_BACKOFF_MS)
    const t2 = t1 + 2 * RATE_LIMIT_BACKOFF_MS
    expect(budget.noteRateLimited(t2)).toBe(t2 + 4 * RATE_LIMIT_BACKOFF_MS)
    // Capped.
    let t = t2
    for (let i = 0; i < 10; i++) t = budget.noteRateLimited(t)
    const end = budget.noteRateLimited(t)
    expect(end - t).toBe(MAX_RATE_LIMIT_BACKOFF_MS)

    budget.noteSuccess()
    expect(budget.noteRateLimited(end) - end).toBe(RATE_LIMIT_BACKOFF_MS)
  })

  it("honours a longer Retry-After", () => {
    const budget = new RequestBudget(60)
    expect(budget.noteRateLimited(T0, 5 * 60_000)).toBe(T0 + 5 * 60_000)
  })

  it("refuses a nonsensical size", () => {
    expect(() => new RequestBudget(0)).toThrow(/at least 1/)
    expect(() => new RequestBudget(1.5)).toThrow()
  })
})

describe("resolveRequestsPerMinute", () => {
  it("defaults to 60, well under CoinGate's 200 per minute", () => {
    expect(resolveRequestsPerMinute(undefined, {})).toBe(DEFAULT_RECONCILE_REQUESTS_PER_MINUTE)
    expect(DEFAULT_RECONCILE_REQUESTS_PER_MINUTE).toBe(60)
    expect(resolveRequestsPerMinute({}, { COINGATE_RECONCILE_REQUESTS_PER_MINUTE: "" })).toBe(60)
  })

  it("reads the provider option first, then the environment", () => {
    expect(resolveRequestsPerMinute({ reconcileRequestsPerMinute: 30 }, { COINGATE_RECONCILE_REQUESTS_PER_MINUTE: "90" })).toBe(30)
    expect(resolveRequestsPerMinute({ reconcileRequestsPerMinute: "45" }, {})).toBe(45)
    expect(resolveRequestsPerMinute({}, { COINGATE_RECONCILE_REQUESTS_PER_MINUTE: " 90 " })).toBe(90)
  })

  it("refuses values outside 2..150 with a message naming the setting", () => {
    expect(() => resolveRequestsPerMinute({ reconcileRequestsPerMinute: 1 }, {})).toThrow(/reconcileRequestsPerMinute.*2 to 150/)
    expect(() => resolveRequestsPerMinute({ reconcileRequestsPerMinute: 200 }, {})).toThrow(/200 requests per minute/)
    expect(() => resolveRequestsPerMinute({ reconcileRequestsPerMinute: 2.5 }, {})).toThrow()
    expect(() => resolveRequestsPerMinute({}, { COINGATE_RECONCILE_REQUESTS_PER_MINUTE: "lots" })).toThrow(/COINGATE_RECONCILE_REQUESTS_PER_MINUTE/)
  })
})
