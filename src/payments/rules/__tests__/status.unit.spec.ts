import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { COINGATE_STATUSES } from "../../../coingate/types"
import { isCoinGateStatus } from "../../../coingate/types"
import { isFinal, isPaid, isRefunded, toSessionStatus, toWebhookAction } from "../status-policy"

describe("CoinGate status -> Medusa", () => {
  it.each([
    ["new", PaymentSessionStatus.PENDING, PaymentActions.PENDING],
    ["pending", PaymentSessionStatus.PENDING, PaymentActions.PENDING],
    ["confirming", PaymentSessionStatus.PENDING_AUTHORIZATION, PaymentActions.PENDING_AUTHORIZATION],
    ["paid", PaymentSessionStatus.CAPTURED, PaymentActions.SUCCESSFUL],
    ["invalid", PaymentSessionStatus.ERROR, PaymentActions.FAILED],
    ["expired", PaymentSessionStatus.CANCELED, PaymentActions.CANCELED],
    ["canceled", PaymentSessionStatus.CANCELED, PaymentActions.CANCELED],
    ["refunded", PaymentSessionStatus.CAPTURED, PaymentActions.SUCCESSFUL],
    ["partially_refunded", PaymentSessionStatus.CAPTURED, PaymentActions.SUCCESSFUL],
  ] as const)("%s -> session %s, webhook action %s", (status, sessionStatus, action) => {
    expect(toSessionStatus(status)).toBe(sessionStatus)
    expect(toWebhookAction(status)).toBe(action)
  })

  it("maps every status CoinGate has, in both flows, to a session status and an action Medusa has", () => {
    const sessionStatuses = Object.values(PaymentSessionStatus)
    const actions = Object.values(PaymentActions)
    for (const status of COINGATE_STATUSES) {
      expect(sessionStatuses).toContain(toSessionStatus(status))
      expect(sessionStatuses).toContain(toSessionStatus(status, { orderFirst: true }))
      expect(actions).toContain(toWebhookAction(status))
    }
  })

  it("gives Medusa's subscriber SUCCESSFUL exactly for the paid statuses (it captures on that action)", () => {
    expect(COINGATE_STATUSES.filter((s) => toWebhookAction(s) === PaymentActions.SUCCESSFUL)).toEqual(COINGATE_STATUSES.filter(isPaid))
  })

  it("reads a status CoinGate does not list as an error, with an action Medusa's subscriber ignores", () => {
    for (const other of ["settled", "constructor", ""]) {
      expect(toSessionStatus(other as any)).toBe(PaymentSessionStatus.ERROR)
      expect(toWebhookAction(other as any)).toBe(PaymentActions.NOT_SUPPORTED)
      expect(isPaid(other)).toBe(false)
      expect(isRefunded(other)).toBe(false)
    }
  })

  it("knows which statuses are paid and which are final", () => {
    expect(COINGATE_STATUSES.filter(isPaid)).toEqual(["paid", "refunded", "partially_refunded"])
    expect(COINGATE_STATUSES.filter((s) => !isFinal(s))).toEqual(["new", "pending", "confirming"])
    expect(COINGATE_STATUSES.filter(isRefunded)).toEqual(["refunded", "partially_refunded"])
  })

  it("recognises CoinGate statuses only", () => {
    expect(COINGATE_STATUSES.every(isCoinGateStatus)).toBe(true)
    for (const other of ["PAID", "captured", "", undefined, null, 3, "settled"]) {
      expect(isCoinGateStatus(other)).toBe(false)
    }
  })
})
