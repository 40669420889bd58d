import type { CoinGateStatus } from "../../../coingate/types"
import { describeState, isPlanDone, MedusaFacts, Plan, planFor } from "../plan"

/** The Medusa situations a CoinGate status can meet. */
const S: Record<string, MedusaFacts> = {
  open: { sessionStatus: "pending", captured: false, hasCart: true, orderId: null, orderCanceled: false },
  awaiting: { sessionStatus: "pending_authorization", captured: false, hasCart: true, orderId: "order_1", orderCanceled: false },
  captured: { sessionStatus: "authorized", captured: true, hasCart: true, orderId: "order_1", orderCanceled: false },
  capturedOrderCanceled: { sessionStatus: "authorized", captured: true, hasCart: true, orderId: "order_1", orderCanceled: true },
  sessionCanceled: { sessionStatus: "canceled", captured: false, hasCart: true, orderId: null, orderCanceled: false },
  sessionFailed: { sessionStatus: "error", captured: false, hasCart: true, orderId: null, orderCanceled: false },
  orderCanceled: { sessionStatus: "canceled", captured: false, hasCart: true, orderId: "order_1", orderCanceled: true },
  noCart: { sessionStatus: "pending", captured: false, hasCart: false, orderId: null, orderCanceled: false },
}

const capture = (reopenSession = false): Plan => ({ kind: "capture", reopenSession })
const placeOrder = (reopenSession = false): Plan => ({ kind: "place_order", reopenSession })
const noChange: Plan = { kind: "no_change" }

/** Every CoinGate status x every situation -> the one plan expected. */
const table: Record<CoinGateStatus, Record<keyof typeof S, Plan>> = {
  new: { open: noChange, awaiting: noChange, captured: noChange, capturedOrderCanceled: noChange, sessionCanceled: noChange, sessionFailed: noChange, orderCanceled: noChange, noCart: noChange },
  pending: { open: noChange, awaiting: noChange, captured: noChange, capturedOrderCanceled: noChange, sessionCanceled: noChange, sessionFailed: noChange, orderCanceled: noChange, noCart: noChange },
  confirming: {
    open: placeOrder(),
    awaiting: noChange,
    captured: noChange,
    capturedOrderCanceled: noChange,
    sessionCanceled: placeOrder(true),
    sessionFailed: placeOrder(true),
    orderCanceled: noChange,
    noCart: noChange,
  },
  paid: {
    open: capture(),
    awaiting: capture(),
    captured: noChange,
    capturedOrderCanceled: noChange,
    sessionCanceled: capture(true),
    sessionFailed: capture(true),
    orderCanceled: { kind: "no_change", attention: "paid_after_cancellation" },
    noCart: capture(),
  },
  invalid: {
    open: { kind: "fail", attention: null },
    awaiting: { kind: "fail", attention: "invalid" },
    captured: { kind: "no_change", attention: "invalid" },
    capturedOrderCanceled: { kind: "no_change", attention: "invalid" },
    sessionCanceled: { kind: "fail", attention: null },
    sessionFailed: { kind: "fail", attention: null },
    orderCanceled: { kind: "fail", attention: null },
    noCart: { kind: "fail", attention: null },
  },
  expired: {
    open: { kind: "cancel", cancelOrder: false },
    awaiting: { kind: "cancel", cancelOrder: true },
    captured: noChange,
    capturedOrderCanceled: noChange,
    sessionCanceled: noChange,
    sessionFailed: { kind: "cancel", cancelOrder: false },
    orderCanceled: noChange,
    noCart: { kind: "cancel", cancelOrder: false },
  },
  canceled: {} as any,
  refunded: {} as any,
  partially_refunded: {} as any,
}
table.canceled = table.expired
table.refunded = table.paid
table.partially_refunded = table.paid

/** The plan in words, for the test names: "capture, reopening the session", "no change, flag invalid". */
function planInWords(plan: Plan): string {
  switch (plan.kind) {
    case "capture":
    case "place_order":
      return `${plan.kind.replace("_", " ")}${plan.reopenSession ? ", reopening the session" : ""}`
    case "cancel":
      return plan.cancelOrder ? "cancel the session and its order" : "cancel the session"
    case "fail":
      return `fail the session${plan.attention ? `, flag ${plan.attention}` : ""}`
    case "no_change":
      return `no change${plan.attention ? `, flag ${plan.attention}` : ""}`
  }
}

describe("planFor: what a CoinGate status means for Medusa", () => {
  for (const [status, row] of Object.entries(table)) {
    describe(status, () => {
      it.each(Object.entries(row).map(([situation, expected]) => [situation, planInWords(expected), expected] as const))(
        `${status} when Medusa is %s: %s`,
        (situation, _words, expected) => {
          expect(planFor(status as CoinGateStatus, S[situation])).toEqual(expected)
        }
      )
    })
  }

  it("changes nothing on a captured payment, whatever arrives after it (never downgrades it)", () => {
    for (const status of Object.keys(table) as CoinGateStatus[]) {
      const plan = planFor(status, S.captured)
      expect(plan.kind).toBe("no_change")
    }
  })

  it("captures a late payment on an invoice Medusa gave up on while the checkout is open, reopening the session", () => {
    expect(planFor("paid", S.sessionCanceled)).toEqual(capture(true))
  })

  it("does not revive a canceled order on a late payment: it asks a person", () => {
    expect(planFor("paid", S.orderCanceled)).toEqual({ kind: "no_change", attention: "paid_after_cancellation" })
  })

  it("neither cancels nor captures an invoice reported expired or canceled that carries a paid_at: it asks a person", () => {
    const paidAt = { paidAt: "2026-11-22T10:00:00Z" }
    for (const status of ["expired", "canceled"] as CoinGateStatus[]) {
      for (const situation of Object.keys(S).filter((k) => !S[k].captured)) {
        expect(planFor(status, S[situation], paidAt)).toEqual({ kind: "no_change", attention: "paid_then_expired" })
      }
      expect(planFor(status, S.captured, paidAt)).toEqual(noChange)
      expect(planFor(status, S.open, { paidAt: null })).toEqual(table[status].open)
    }
  })

  it("changes nothing for a status it does not know (the applier flags it unknown_status before planning)", () => {
    for (const situation of Object.keys(S)) {
      expect(planFor("settled" as CoinGateStatus, S[situation])).toEqual(noChange)
      expect(planFor("constructor" as CoinGateStatus, S[situation])).toEqual(noChange)
    }
  })

  it("replays to the same outcome: applying the reached state's status again changes nothing", () => {
    expect(planFor("paid", S.captured)).toEqual(noChange)
    expect(planFor("confirming", S.awaiting)).toEqual(noChange)
    expect(planFor("expired", S.sessionCanceled)).toEqual(noChange)
  })
})

describe("describeState: how the outcome reads to people", () => {
  it.each([
    ["open", "pending"],
    ["awaiting", "awaiting_payment"],
    ["captured", "captured"],
    ["capturedOrderCanceled", "captured"],
    ["sessionCanceled", "canceled"],
    ["orderCanceled", "canceled"],
    ["sessionFailed", "failed"],
    ["noCart", "pending"],
  ])("%s reads %s", (situation, expected) => {
    expect(describeState(S[situation])).toBe(expected)
  })
})

describe("isPlanDone: whether the state read back reached the plan's goal", () => {
  it("capture needs the payment captured and, for a checkout, its order", () => {
    expect(isPlanDone(capture(), S.captured)).toBe(true)
    expect(isPlanDone(capture(), { ...S.captured, orderId: null })).toBe(false)
    expect(isPlanDone(capture(), { ...S.noCart, captured: true })).toBe(true)
    expect(isPlanDone(capture(), S.awaiting)).toBe(false)
    expect(isPlanDone(capture(), S.open)).toBe(false)
  })

  it("place_order needs the order", () => {
    expect(isPlanDone(placeOrder(), S.awaiting)).toBe(true)
    expect(isPlanDone(placeOrder(), S.open)).toBe(false)
  })

  it("cancel needs the session canceled, and the order when asked", () => {
    expect(isPlanDone({ kind: "cancel", cancelOrder: false }, S.sessionCanceled)).toBe(true)
    expect(isPlanDone({ kind: "cancel", cancelOrder: false }, S.open)).toBe(false)
    expect(isPlanDone({ kind: "cancel", cancelOrder: true }, S.orderCanceled)).toBe(true)
    expect(isPlanDone({ kind: "cancel", cancelOrder: true }, { ...S.awaiting, sessionStatus: "canceled" })).toBe(false)
  })

  it("fail needs the session in error; no change is always done", () => {
    expect(isPlanDone({ kind: "fail", attention: null }, S.sessionFailed)).toBe(true)
    expect(isPlanDone({ kind: "fail", attention: null }, S.open)).toBe(false)
    expect(isPlanDone(noChange, S.open)).toBe(true)
  })
})
