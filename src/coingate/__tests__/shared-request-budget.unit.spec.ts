import { currentRequestClass, SharedRequestBudget, withRequestClass } from "../request-budget"

const MINUTE = 60_000
const T0 = 1_000_000

/** Takes `n` requests of `cls` at `now`; how many were allowed. */
const takeMany = (budget: SharedRequestBudget, cls: Parameters<SharedRequestBudget["take"]>[0], n: number, now = T0) =>
  Array.from({ length: n }, () => budget.take(cls, now)).filter((refusal) => refusal === null).length

describe("SharedRequestBudget", () => {
  it("defaults: CoinGate's 200 a minute, 40 kept for callbacks, 40 for the public routes", () => {
    const budget = new SharedRequestBudget()
    expect(budget.limits).toMatchObject({ total: 200, callbackReserve: 40, public: 40 })
  })

  it("caps the public routes at their share and says when to try again", () => {
    const budget = new SharedRequestBudget({ public: 5 })
    expect(takeMany(budget, "public", 100)).toBe(5)
    expect(budget.take("public", T0 + 1000)).toEqual({ reason: "class_share", retryAfterMs: MINUTE - 1000 })
    // A sliding minute: the share comes back as the old requests age out.
    expect(budget.take("public", T0 + MINUTE)).toBeNull()
  })

  it("never refuses callbacks, even with every other share spent or over CoinGate's limit", () => {
    const budget = new SharedRequestBudget()
    takeMany(budget, "public", 40)
    takeMany(budget, "reconcile", 150)
    expect(takeMany(budget, "callback", 300)).toBe(300)
  })

  it("keeps the callbacks' reserve: the other classes together stop at total - reserve", () => {
    const budget = new SharedRequestBudget({ total: 200, callbackReserve: 40, public: 40, admin: 40, reconcile: 150 })
    expect(takeMany(budget, "reconcile", 150)).toBe(150)
    expect(takeMany(budget, "public", 40)).toBe(10)
    expect(budget.take("admin", T0)).toMatchObject({ reason: "callback_reserve" })
    expect(budget.used(T0)).toBe(160)
    // Callbacks still have their 40 (and more: CoinGate's limit is theirs).
    expect(takeMany(budget, "callback", 40)).toBe(40)
  })

  it("invoices and cart completions (checkout) keep to their share and leave the callbacks' reserve (issue 22, finding 6)", () => {
    const budget = new SharedRequestBudget()
    expect(budget.limits.checkout).toBe(60)
    expect(takeMany(budget, "checkout", 500)).toBe(60)
    expect(budget.take("checkout", T0)).toMatchObject({ reason: "class_share" })
    // With reconciliation at its most, checkouts stop where the callbacks' 40 begin.
    const crowded = new SharedRequestBudget()
    takeMany(crowded, "reconcile", 150)
    expect(takeMany(crowded, "checkout", 60)).toBe(10)
    expect(crowded.take("checkout", T0)).toMatchObject({ reason: "callback_reserve" })
    expect(takeMany(crowded, "callback", 40)).toBe(40)
  })

  it("callbacks' own use does not shrink the other shares below what is left", () => {
    const budget = new SharedRequestBudget({ public: 40 })
    takeMany(budget, "callback", 150)
    expect(takeMany(budget, "public", 40)).toBe(40)
  })

  it("counts retries charged without asking", () => {
    const budget = new SharedRequestBudget({ public: 3 })
    budget.take("public", T0)
    budget.charge("public", T0)
    budget.charge("public", T0)
    expect(budget.used(T0, "public")).toBe(3)
    expect(budget.take("public", T0)).toMatchObject({ reason: "class_share" })
  })

  it("after a 429 pauses everything but callbacks for the Retry-After", () => {
    const budget = new SharedRequestBudget()
    budget.pause(T0, 5000)
    expect(budget.pausedFor(T0 + 1000)).toBe(4000)
    expect(budget.take("public", T0 + 1000)).toEqual({ reason: "paused", retryAfterMs: 4000 })
    expect(budget.take("reconcile", T0 + 1000)).toMatchObject({ reason: "paused" })
    expect(budget.take("callback", T0 + 1000)).toBeNull()
    expect(budget.take("public", T0 + 5000)).toBeNull()
    expect(budget.pausedFor(T0 + 5000)).toBe(0)
    // A shorter Retry-After later does not cut a longer pause.
    budget.pause(T0 + 5000, 10_000)
    budget.pause(T0 + 6000, 1000)
    expect(budget.pausedFor(T0 + 6000)).toBe(9000)
  })
})

describe("request classes", () => {
  it("untagged requests are callbacks; a tag holds across awaits and only inside its run", async () => {
    expect(currentRequestClass()).toBe("callback")
    const seen = await withRequestClass("public", async () => {
      await new Promise((r) => setTimeout(r, 5))
      return currentRequestClass()
    })
    expect(seen).toBe("public")
    expect(currentRequestClass()).toBe("callback")
  })
})
