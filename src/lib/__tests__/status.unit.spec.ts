import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { COINGATE_STATUSES } from "../coingate-types"
import { isCoinGateStatus, isFinal, isPaid, toSessionStatus, toWebhookAction } from "../status"

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

  it("maps every status CoinGate has", () => {
    for (const status of COINGATE_STATUSES) {
      expect(toSessionStatus(status)).toBeDefined()
      expect(toWebhookAction(status)).toBeDefined()
    }
  })

  it("knows which statuses are paid and which are final", () => {
    expect(COINGATE_STATUSES.filter(isPaid)).toEqual(["paid", "refunded", "partially_refunded"])
    expect(COINGATE_STATUSES.filter((s) => !isFinal(s))).toEqual(["new", "pending", "confirming"])
  })

  it("recognises CoinGate statuses only", () => {
    expect(COINGATE_STATUSES.every(isCoinGateStatus)).toBe(true)
    for (const other of ["PAID", "captured", "", undefined, null, 3, "settled"]) {
      expect(isCoinGateStatus(other)).toBe(false)
    }
  })
})
