import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { COINGATE_STATUSES, CoinGateStatus } from "../../../coingate/types"
import { nextCheckAt } from "../schedule"
import { isFinal, isPaid } from "../status-policy"
import { LAST_RECONCILE_PRIORITY, LATE_PAYMENT_WATCH_MS, MedusaStep, policyOf, STATUS_POLICY, StatusPolicy } from "../status-policy"

const rows = COINGATE_STATUSES.map((status) => [status, STATUS_POLICY[status]] as const)
const STEPS: MedusaStep[] = ["capture", "place_order", "cancel", "fail", "no_change"]

describe("the status policy table", () => {
  it("has one row per CoinGate status, no more", () => {
    expect(Object.keys(STATUS_POLICY).sort()).toEqual([...COINGATE_STATUSES].sort())
  })

  it.each(rows)("%s has every column, each of its kind", (_status, row: StatusPolicy) => {
    const sessionStatuses = Object.values(PaymentSessionStatus)
    expect(Object.keys(row).sort()).toEqual(
      ["final", "medusaStep", "paid", "readAgain", "reconcilePriority", "refunded", "session", "stage", "webhookAction"].sort()
    )
    expect(sessionStatuses).toContain(row.session.redirectFirst)
    expect(sessionStatuses).toContain(row.session.orderFirst)
    expect(Object.values(PaymentActions)).toContain(row.webhookAction)
    for (const flag of [row.paid, row.refunded, row.final]) expect(typeof flag).toBe("boolean")
    expect(STEPS).toContain(row.medusaStep)
    if (row.readAgain) expect(row.readAgain.everyMs).toBeGreaterThan(0)
    expect(Number.isInteger(row.reconcilePriority)).toBe(true)
    expect(row.reconcilePriority).toBeGreaterThanOrEqual(0)
    expect(row.reconcilePriority).toBeLessThanOrEqual(LAST_RECONCILE_PRIORITY)
  })

  it("paid statuses are exactly those with isPaid, and exactly those captured, SUCCESSFUL and asking a capture", () => {
    const paid = COINGATE_STATUSES.filter((s) => STATUS_POLICY[s].paid)
    expect(paid).toEqual(["paid", "refunded", "partially_refunded"])
    expect(COINGATE_STATUSES.filter(isPaid)).toEqual(paid)
    expect(COINGATE_STATUSES.filter((s) => STATUS_POLICY[s].session.redirectFirst === PaymentSessionStatus.CAPTURED)).toEqual(paid)
    expect(COINGATE_STATUSES.filter((s) => STATUS_POLICY[s].webhookAction === PaymentActions.SUCCESSFUL)).toEqual(paid)
    expect(COINGATE_STATUSES.filter((s) => STATUS_POLICY[s].medusaStep === "capture")).toEqual(paid)
  })

  it("a refunded status is a paid one", () => {
    for (const [, row] of rows) if (row.refunded) expect(row.paid).toBe(true)
  })

  it("final statuses are exactly those isFinal names; only new, pending and confirming still move on their own", () => {
    expect(COINGATE_STATUSES.filter((s) => !STATUS_POLICY[s].final)).toEqual(["new", "pending", "confirming"])
    expect(COINGATE_STATUSES.filter(isFinal)).toEqual(COINGATE_STATUSES.filter((s) => STATUS_POLICY[s].final))
  })

  it("a status still moving is read again without end; a final status never schedules an open-ended read", () => {
    for (const [status, row] of rows) {
      if (!row.final) {
        expect(row.readAgain).not.toBeNull()
        expect(row.readAgain!.untilAgeMs).toBeUndefined()
      } else if (row.readAgain) {
        // Only the late-payment watch of an invoice over unpaid, bounded by its age.
        expect([status, row.medusaStep]).toEqual([status, "cancel"])
        expect(row.readAgain.untilAgeMs).toBe(LATE_PAYMENT_WATCH_MS)
      }
    }
  })

  it("a final status is not read again once the late-payment window is over", () => {
    const now = new Date("2026-01-01T12:00:00Z")
    const createdAt = new Date(now.getTime() - LATE_PAYMENT_WATCH_MS)
    for (const status of COINGATE_STATUSES.filter(isFinal)) {
      expect([status, nextCheckAt(status, { now, createdAt })]).toEqual([status, null])
    }
  })

  it("the webhook action follows the redirect-first session status", () => {
    const actionOf: Record<string, PaymentActions> = {
      [PaymentSessionStatus.CAPTURED]: PaymentActions.SUCCESSFUL,
      [PaymentSessionStatus.PENDING_AUTHORIZATION]: PaymentActions.PENDING_AUTHORIZATION,
      [PaymentSessionStatus.CANCELED]: PaymentActions.CANCELED,
      [PaymentSessionStatus.ERROR]: PaymentActions.FAILED,
      [PaymentSessionStatus.PENDING]: PaymentActions.PENDING,
    }
    for (const [status, row] of rows) expect([status, row.webhookAction]).toEqual([status, actionOf[row.session.redirectFirst]])
  })

  it("order first differs from redirect first only while the invoice is unpaid and moving", () => {
    const differs = COINGATE_STATUSES.filter((s) => STATUS_POLICY[s].session.orderFirst !== STATUS_POLICY[s].session.redirectFirst)
    expect(differs).toEqual(["new", "pending"])
    for (const s of differs) expect(STATUS_POLICY[s].session.orderFirst).toBe(PaymentSessionStatus.PENDING_AUTHORIZATION)
  })

  it("reconciliation reads money seen but not captured first and the late-payment watch after invoices still open", () => {
    const p = (s: CoinGateStatus) => STATUS_POLICY[s].reconcilePriority
    expect(p("confirming")).toBe(0)
    expect(p("paid")).toBe(0)
    expect(p("pending")).toBeLessThan(p("new"))
    expect(p("new")).toBeLessThan(p("expired"))
    expect(p("expired")).toBe(p("canceled"))
  })

  it("finds rows by own property only: other strings have none", () => {
    expect(policyOf("paid")).toBe(STATUS_POLICY.paid)
    for (const other of ["constructor", "toString", "__proto__", "PAID", "", null, undefined]) expect(policyOf(other)).toBeNull()
  })
})
