import type { CoinGateOrder, CoinGateStatus } from "../../coingate/types"
import { COINGATE_STATUSES } from "../../coingate/types"
import { CoinGatePaymentRecord, recordFields } from "../records"
import { isNewerSnapshot, ReadWindow, stageOf, unknownWindow } from "../rules/snapshot-order"

const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 10, 0, s)).toISOString()
const win = (from: number, to: number): ReadWindow => ({ requestedAt: at(from), answeredAt: at(to) })
const snap = (status: CoinGateStatus, read: ReadWindow) => ({ status, read })

describe("isNewerSnapshot: an older copy never replaces a newer one", () => {
  it("a read sent after the held one was answered is newer, even a step back (CoinGate said it later)", () => {
    expect(isNewerSnapshot(snap("pending", win(5, 6)), snap("paid", win(1, 2)))).toBe(true)
  })

  it("a read answered before the held one was sent is older, even a step forward", () => {
    expect(isNewerSnapshot(snap("paid", win(1, 2)), snap("expired", win(5, 6)))).toBe(false)
  })

  it("finding 10: the shopper's return read pending, then a callback read and saved paid; the return's pending is older", () => {
    expect(isNewerSnapshot(snap("pending", win(1, 2)), snap("paid", win(3, 4)))).toBe(false)
    // Overlapping reads: CoinGate's order of statuses decides.
    expect(isNewerSnapshot(snap("pending", win(1, 4)), snap("paid", win(2, 3)))).toBe(false)
    expect(isNewerSnapshot(snap("paid", win(1, 4)), snap("pending", win(2, 3)))).toBe(true)
    expect(isNewerSnapshot(snap("new", win(1, 4)), snap("canceled", win(2, 3)))).toBe(false)
  })

  it("a snapshot of unknown read time only moves forward", () => {
    expect(isNewerSnapshot(snap("pending", unknownWindow(at(9))), snap("paid", win(3, 4)))).toBe(false)
    expect(isNewerSnapshot(snap("paid", unknownWindow(at(9))), snap("pending", win(3, 4)))).toBe(true)
  })

  it("the same snapshot applied again is not older (it changes nothing), and anything beats no snapshot", () => {
    expect(isNewerSnapshot(snap("pending", win(1, 2)), snap("pending", win(1, 2)))).toBe(true)
    expect(isNewerSnapshot(snap("new", win(1, 2)), null)).toBe(true)
  })

  it("stages follow CoinGate's state machine: every valid step goes to a later stage", () => {
    const steps: [CoinGateStatus, CoinGateStatus][] = [
      ["new", "pending"], ["new", "confirming"], ["new", "paid"], ["pending", "confirming"], ["pending", "paid"], ["confirming", "paid"],
      ["confirming", "invalid"], ["new", "expired"], ["pending", "expired"], ["new", "canceled"], ["pending", "canceled"],
      ["expired", "paid"], ["canceled", "paid"], ["paid", "partially_refunded"], ["paid", "refunded"], ["partially_refunded", "refunded"],
    ]
    for (const [from, to] of steps) expect([from, to, stageOf(to) > stageOf(from)]).toEqual([from, to, true])
    for (const s of COINGATE_STATUSES) expect(stageOf(s)).toBeGreaterThanOrEqual(0)
  })
})

describe("recordFields: CoinGate's part of the record only moves forward", () => {
  const container: any = { resolve: () => ({ graph: async () => ({ data: [] }) }) }
  const order = (status: CoinGateStatus): CoinGateOrder => ({ id: 7, status, price_amount: "10.5", price_currency: "EUR" }) as CoinGateOrder
  const apply = async (held: CoinGatePaymentRecord | null, status: CoinGateStatus, read: ReadWindow | undefined, medusaState: any = "pending") =>
    ({ id: "cgpay_1", created_at: new Date(), ...(await recordFields(container, held, { existing: held, order: order(status), read, sessionId: "payses_1", providerId: "pp_coingate_coingate", cartId: null, orderId: null, medusaState, source: "return", now: new Date() })) }) as unknown as CoinGatePaymentRecord

  it("an older pending after a newer paid keeps paid, its read times and history, and takes Medusa's state", async () => {
    const pending = await apply(null, "pending", win(1, 2))
    const paid = await apply(pending, "paid", win(5, 6), "captured")
    const stale = await apply(paid, "pending", win(3, 4), "captured")
    expect(stale).toMatchObject({ status: "paid", medusa_state: "captured", snapshot: { status: "paid" } })
    expect(new Date(stale.snapshot_requested_at as Date).toISOString()).toBe(at(5))
    expect(stale.history.map((h) => h.status)).toEqual(["pending", "paid"])
  })

  it("the record's own snapshot applied again appends nothing", async () => {
    const paid = await apply(null, "paid", win(5, 6))
    const again = await apply(paid, "paid", win(5, 6))
    expect(again.history.map((h) => h.status)).toEqual(["paid"])
  })
})
