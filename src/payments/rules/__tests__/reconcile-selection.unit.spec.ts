import { ulid } from "ulid"
import {
  DueRecord,
  idRangeForTimes,
  orderWork,
  priorityOf,
  retryAfterFailure,
  timeOfUlidId,
  ulidTime,
  UNRECORDED_MIN_AGE_MS,
  UnrecordedSession,
} from "../reconcile-selection"

const NOW = Date.parse("2026-11-22T12:00:00Z")
const MIN = 60_000

const record = (over: Partial<DueRecord> & { coingate_order_id: string }): DueRecord => ({
  id: `cgpay_${over.coingate_order_id}`,
  payment_session_id: `payses_${over.coingate_order_id}`,
  provider_id: "pp_coingate_coingate",
  status: "new",
  next_check_at: new Date(NOW - MIN),
  ...over,
})

const session = (over: Partial<UnrecordedSession> & { id: string }): UnrecordedSession => ({
  provider_id: "pp_coingate_coingate",
  status: "pending",
  created_at: new Date(NOW - 10 * MIN),
  coingate_order_id: 1,
  ...over,
})

describe("reconciliation: what to read first", () => {
  it("ranks money seen but not captured first, the late-payment watch last", () => {
    const rank = (status: string, attention?: string) => priorityOf({ kind: "record", status, attention })
    expect(rank("confirming")).toBe(0)
    expect(rank("new", "paid_not_captured")).toBe(0)
    expect(rank("pending")).toBeLessThan(rank("new"))
    expect(rank("new")).toBeLessThan(rank("expired"))
    expect(rank("expired")).toBe(rank("canceled"))
    expect(priorityOf({ kind: "session", status: "pending_authorization" })).toBe(0)
    expect(priorityOf({ kind: "session", status: "pending" })).toBe(1)
  })

  it("merges records and unrecorded sessions, one entry per CoinGate order, most urgent and most overdue first", () => {
    const work = orderWork(
      [
        record({ coingate_order_id: "10", status: "expired", next_check_at: new Date(NOW - 50 * MIN) }),
        record({ coingate_order_id: "11", status: "confirming", next_check_at: new Date(NOW - 1 * MIN) }),
        record({ coingate_order_id: "12", status: "new", next_check_at: new Date(NOW - 5 * MIN) }),
        record({ coingate_order_id: "13", status: "new", next_check_at: new Date(NOW - 9 * MIN) }),
        record({ coingate_order_id: "13", status: "new" }),
        record({ coingate_order_id: "not-a-number" }),
      ],
      [
        session({ id: "payses_a", coingate_order_id: 20, status: "pending" }),
        session({ id: "payses_b", coingate_order_id: "21", status: "pending_authorization" }),
        // Already covered by a record.
        session({ id: "payses_c", coingate_order_id: 11 }),
        // No CoinGate order in its data: nothing to read.
        session({ id: "payses_d", coingate_order_id: undefined }),
      ],
      NOW
    )
    // 21 (pending authorization, due 5 min ago) and 11 (confirming, due 1 min ago) share the top rank.
    expect(work.map((w) => w.coingateOrderId)).toEqual([21, 11, 20, 13, 12, 10])
    expect(work[1]).toMatchObject({ kind: "record", recordId: "cgpay_11", sessionId: "payses_11" })
    expect(work[0]).toMatchObject({ kind: "session", sessionId: "payses_b", providerId: "pp_coingate_coingate" })
    expect(work[0].recordId).toBeUndefined()
    expect(work[0].dueAt).toBe(NOW - 10 * MIN + UNRECORDED_MIN_AGE_MS)
  })


  it("tries a failed read again soon, a missing order in an hour", () => {
    expect(retryAfterFailure(NOW, { transient: true }).getTime() - NOW).toBe(2 * MIN)
    expect(retryAfterFailure(NOW, { transient: false }).getTime() - NOW).toBe(60 * MIN)
  })
})

describe("session ids as a time range", () => {
  it("encodes times like the ulid package", () => {
    for (const t of [0, 1, NOW, 2 ** 48 - 1]) {
      expect(ulidTime(t)).toBe(ulid(t).slice(0, 10))
    }
    expect(() => ulidTime(-1)).toThrow()
    expect(() => ulidTime(2 ** 48)).toThrow()
  })

  it("reads back the time of an id", () => {
    expect(timeOfUlidId(`payses_${ulid(NOW)}`)).toBe(NOW)
    expect(timeOfUlidId("payses_short")).toBeNull()
    expect(timeOfUlidId(`payses_${"!".repeat(26)}`)).toBeNull()
  })

  it("bounds exactly the ids generated inside the window (byte order)", () => {
    const range = idRangeForTimes("payses", NOW - 48 * 60 * MIN, NOW - 5 * MIN)
    const inside = [NOW - 48 * 60 * MIN, NOW - 60 * MIN, NOW - 5 * MIN].map((t) => `payses_${ulid(t)}`)
    const outside = [NOW - 48 * 60 * MIN - 1, NOW - 5 * MIN + 1, NOW].map((t) => `payses_${ulid(t)}`)
    for (const id of inside) expect(id >= range.gte && id <= range.lte).toBe(true)
    for (const id of outside) expect(id >= range.gte && id <= range.lte).toBe(false)
  })
})
