import { COINGATE_REFUND_STATUSES, COINGATE_SEND_REQUEST_STATUSES } from "../../../coingate/refund-types"
import { isFinalStatus, isKnownStatus, outcomeOf, shouldMoveTo } from "../status"

describe("refund and send request statuses are CoinGate's typed lists, not an object's properties", () => {
  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])("%s is no known status, and moves no record", (name) => {
    for (const kind of ["refund", "payout"] as const) {
      expect(isKnownStatus(kind, name)).toBe(false)
      expect(outcomeOf(kind, name)).toBe("open")
      expect(isFinalStatus(kind, name)).toBe(false)
      expect(shouldMoveTo(kind, "pending", name)).toBe(false)
    }
  })

  it("every status of the lists is known, with an outcome", () => {
    for (const s of COINGATE_REFUND_STATUSES) expect([isKnownStatus("refund", s), ["open", "sent", "not_sent"].includes(outcomeOf("refund", s))]).toEqual([true, true])
    for (const s of COINGATE_SEND_REQUEST_STATUSES) expect([isKnownStatus("payout", s), ["open", "sent", "not_sent"].includes(outcomeOf("payout", s))]).toEqual([true, true])
    expect(isKnownStatus("refund", "draft")).toBe(false)
    expect(isKnownStatus("payout", "rejected")).toBe(false)
  })
})
