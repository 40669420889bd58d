import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import coingateReconcileJob from "../../src/jobs/coingate-reconcile"
import { RequestBudget } from "../../src/coingate/request-budget"
import { RECONCILE_LOCK_KEY, reconcileOnce, resetReconcileBudgets } from "../../src/sources/reconcile"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { createCart, orderOfCart, seedStore, sessionById, startCoinGatePayment, Store } from "../helpers/store"
import { MINUTE, orderReads, paymentFigures, recordOf } from "../soak/lib/reliability"

jest.setTimeout(240_000)

// The scheduled job would run on the wall clock in the middle of these tests; they run
// passes themselves, with the time moved forward.
process.env.COINGATE_RECONCILE_DISABLED = "true"

// Invoices never expire on their own here: the tests move them with setStatus, and every
// status change is made with `callback: false`, i.e. all of CoinGate's callbacks are lost.
const { sim } = useSimulator({ log: !!process.env.SIM_LOG, newOrderTtlMs: 3_600_000, pendingTtlMs: 3_600_000 })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      store = await seedStore(getContainer())
      resetReconcileBudgets()
    })

    /** A cart with a CoinGate session, as a storefront leaves it before redirecting the shopper. */
    async function checkout(amount = 10.5) {
      const cart = await createCart(getContainer(), store, amount)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      return { cart, session, coingateOrderId }
    }

    /**
     * A pass at `minutes` from now. Sessions without a record are first read 5 minutes after
     * their creation; a record's next read is set from the wall clock when it is saved.
     */
    const passAt = (minutes: number, opts: Parameters<typeof reconcileOnce>[1] = {}) =>
      reconcileOnce(getContainer(), { now: Date.now() + minutes * MINUTE, budget: 60, ...opts })

    it("captures a paid order whose callbacks were all lost, once", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()

      // Too young: a session is left to its callbacks for its first 5 minutes.
      const early = await passAt(1)
      expect(early).toMatchObject({ due: 0, checked: 0, requests: 0 })

      const readsBefore = orderReads(sim())
      const figures = await passAt(6)
      // One request: Medusa's cart completion (authorizePayment) uses the order just read.
      expect(figures).toMatchObject({ due: 1, checked: 1, applied: 1, changed: 1, requests: 1, skippedByBudget: 0, errors: 0 })
      expect(orderReads(sim()) - readsBefore).toBe(1)

      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.payments).toHaveLength(1)
      expect(order!.captures).toHaveLength(1)
      expect(Number(order!.captures[0].amount)).toBe(10.5)
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record).toMatchObject({ status: "paid", medusa_state: "captured", next_check_at: null })
      expect(record.history.map((h: any) => h.source)).toEqual(["reconcile"])

      // Nothing left to do: the next passes read nothing and capture nothing again.
      for (const minutes of [7, 30, 60 * 25]) {
        expect(await passAt(minutes)).toMatchObject({ due: 0, checked: 0, requests: 0 })
      }
      expect(await paymentFigures(getContainer(), session.id)).toMatchObject({ payments: 1, captures: 1 })
    })

    it("places the order when CoinGate says confirming, and captures it when paid", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "confirming", { callback: false })

      expect(await passAt(6)).toMatchObject({ checked: 1, applied: 1, changed: 1 })
      const placed = await orderOfCart(getContainer(), cart.id)
      expect(placed).not.toBeNull()
      expect(placed!.captured).toBe(false)
      expect(placed!.payments).toHaveLength(0)
      expect((await sessionById(getContainer(), session.id)).status).toBe("pending_authorization")
      const confirming = await recordOf(getContainer(), coingateOrderId)
      expect(confirming).toMatchObject({ status: "confirming", medusa_state: "awaiting_payment" })
      // Confirming orders are read again every minute.
      expect(new Date(confirming.next_check_at).getTime() - Date.now()).toBeLessThanOrEqual(MINUTE + 1000)

      // Still confirming a minute later: read again, nothing changes.
      expect(await passAt(8)).toMatchObject({ checked: 1, applied: 1, changed: 0 })

      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      expect(await passAt(10)).toMatchObject({ checked: 1, applied: 1, changed: 1 })
      const paid = await orderOfCart(getContainer(), cart.id)
      expect(paid!.id).toBe(placed!.id)
      expect(paid!.captured).toBe(true)
      expect(paid!.captures).toHaveLength(1)
      expect(await recordOf(getContainer(), coingateOrderId)).toMatchObject({ status: "paid", medusa_state: "captured" })
    })

    it("cancels the session of an expired invoice, then captures a late payment within the day", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "expired", { callback: false })

      expect(await passAt(6)).toMatchObject({ checked: 1, applied: 1, changed: 1 })
      expect((await sessionById(getContainer(), session.id)).status).toBe("canceled")
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
      const expired = await recordOf(getContainer(), coingateOrderId)
      expect(expired).toMatchObject({ status: "expired", medusa_state: "canceled" })
      // Watched for a late payment: every 30 minutes.
      const watchIn = new Date(expired.next_check_at).getTime() - Date.now()
      expect(watchIn).toBeGreaterThan(29 * MINUTE)
      expect(watchIn).toBeLessThanOrEqual(30 * MINUTE + 1000)
      expect(await passAt(20)).toMatchObject({ due: 0 })

      // Funds arrive late; CoinGate turns the invoice into paid (callback lost again).
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      expect(await passAt(31)).toMatchObject({ checked: 1, applied: 1, changed: 1 })

      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
      expect(await recordOf(getContainer(), coingateOrderId)).toMatchObject({ status: "paid", medusa_state: "captured", next_check_at: null })
    })

    it("flags a payment made after its Medusa order was canceled, without capturing it", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "confirming", { callback: false })
      await passAt(6)
      const placed = await orderOfCart(getContainer(), cart.id)
      expect(placed).not.toBeNull()

      // The chain never confirmed in time: CoinGate expires it, and the order is canceled.
      await sim().setStatus(coingateOrderId, "expired", { callback: false })
      await passAt(8)
      const canceled = await orderOfCart(getContainer(), cart.id)
      expect(canceled!.status).toBe("canceled")

      const logger: any = getContainer().resolve("logger")
      const warn = jest.spyOn(logger, "warn")
      try {
        await sim().setStatus(coingateOrderId, "paid", { callback: false })
        expect(await passAt(40)).toMatchObject({ checked: 1, applied: 1, changed: 1, errors: 0 })
        expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/paid after cancellation/)
      } finally {
        warn.mockRestore()
      }

      const after = await orderOfCart(getContainer(), cart.id)
      expect(after!.status).toBe("canceled")
      expect(after!.captured).toBe(false)
      expect(await paymentFigures(getContainer(), session.id)).toMatchObject({ captures: 0, captured: false })
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record).toMatchObject({ status: "paid", attention: "paid_after_cancellation" })
      expect(record.attention_note).toMatch(/paid after cancellation/)
      // Paid is final: it is not read again.
      expect(record.next_check_at).toBeNull()
    })

    it("finds sessions without a record behind more open sessions that have one than a page holds", async () => {
      // Three open sessions that already have a record (read on their own schedule) come
      // first in the window; the one without a record must still be found with pages of 2.
      const recorded = [await checkout(), await checkout(), await checkout()]
      for (const { coingateOrderId } of recorded) {
        await sim().setStatus(coingateOrderId, "new", { callback: false })
      }
      await passAt(6)
      for (const { coingateOrderId } of recorded) {
        expect(await recordOf(getContainer(), coingateOrderId)).toMatchObject({ status: "new" })
      }
      const lost = await checkout()
      await sim().setStatus(lost.coingateOrderId, "paid", { callback: false })

      const figures = await passAt(7, { batchSize: 2 })
      expect(figures).toMatchObject({ errors: 0 })
      const order = await orderOfCart(getContainer(), lost.cart.id)
      expect(order!.captured).toBe(true)
      expect(await recordOf(getContainer(), lost.coingateOrderId)).toMatchObject({ status: "paid", medusa_state: "captured" })
    })

    it("keeps to the request budget, reading the rest in later passes", async () => {
      const checkouts = []
      for (let i = 0; i < 5; i++) checkouts.push(await checkout(10 + i))
      for (const c of checkouts) await sim().setStatus(c.coingateOrderId, "paid", { callback: false })

      // Each paid order costs one request (cart completion reuses the order just read).
      const readsBefore = orderReads(sim())
      const budget = new RequestBudget(3)
      const first = await passAt(6, { budget })
      expect(first).toMatchObject({ due: 5, checked: 3, applied: 3, requests: 3, skippedByBudget: 2, errors: 0 })
      expect(orderReads(sim()) - readsBefore).toBe(3)

      // Same minute, same budget: nothing more is read.
      const second = await passAt(6.5, { budget })
      expect(second).toMatchObject({ due: 2, checked: 0, requests: 0, skippedByBudget: 2 })
      expect(orderReads(sim()) - readsBefore).toBe(3)

      // A fresh minute's budget reads the rest.
      const third = await passAt(7, { budget: 3 })
      expect(third).toMatchObject({ due: 2, checked: 2, applied: 2, requests: 2, skippedByBudget: 0 })
      expect(orderReads(sim()) - readsBefore).toBe(5)

      // Unpaid orders cost one request each as well: a budget of 2 reads two of them.
      const unpaid = [await checkout(98), await checkout(99)]
      const quiet = await passAt(8, { budget: 2, concurrency: 1 })
      expect(quiet).toMatchObject({ due: 2, checked: 2, requests: 2, skippedByBudget: 0 })
      for (const u of unpaid) expect(await orderOfCart(getContainer(), u.cart.id)).toBeNull()

      for (const c of checkouts) {
        const order = await orderOfCart(getContainer(), c.cart.id)
        expect(order!.captured).toBe(true)
        expect(order!.captures).toHaveLength(1)
      }
    })

    it("stops at CoinGate's 429 and pauses the budget instead of hammering it", async () => {
      const checkouts = []
      for (let i = 0; i < 3; i++) checkouts.push(await checkout(20 + i))
      for (const c of checkouts) await sim().setStatus(c.coingateOrderId, "paid", { callback: false })

      sim().injectFault({ method: "GET", path: "/v2/orders/*", kind: "429", times: 3 })
      const readsBefore = orderReads(sim())
      const budget = new RequestBudget(60)
      const limited = await passAt(6, { budget, concurrency: 1 })
      // One read (the client's three attempts), then the pass stops.
      expect(limited).toMatchObject({ due: 3, checked: 1, applied: 0, errors: 1, requests: 3, skippedByBudget: 2, skipped: "rate_limited" })
      expect(orderReads(sim()) - readsBefore).toBe(3)
      expect(budget.pausedUntil(Date.now())).toBeGreaterThan(Date.now() + 50_000)

      // Still paused: the next pass makes no request at all.
      const paused = await passAt(7, { budget })
      expect(paused).toMatchObject({ checked: 0, requests: 0, skipped: "rate_limited" })
      expect(orderReads(sim()) - readsBefore).toBe(3)

      // After the pause (a fresh budget here), everything is read and captured.
      const resumed = await passAt(8, { budget: 60 })
      expect(resumed).toMatchObject({ checked: 3, applied: 3, errors: 0, requests: 3 })
      for (const c of checkouts) expect((await orderOfCart(getContainer(), c.cart.id))!.captured).toBe(true)
    })

    it("runs one pass at a time: a second pass skips while one holds the lock", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })

      const locking = getContainer().resolve(Modules.LOCKING)
      await locking.acquire(RECONCILE_LOCK_KEY, { ownerId: "another-instance", expire: 30 })
      try {
        expect(await passAt(6)).toMatchObject({ skipped: "locked", checked: 0, requests: 0 })
      } finally {
        await locking.release(RECONCILE_LOCK_KEY, { ownerId: "another-instance" })
      }

      // Two passes started together: exactly one runs.
      const both = await Promise.all([passAt(6), passAt(6)])
      expect(both.filter((f) => f.skipped === "locked")).toHaveLength(1)
      expect(both.reduce((n, f) => n + f.checked, 0)).toBe(1)
      expect((await orderOfCart(getContainer(), cart.id))!.captures).toHaveLength(1)
    })

    it("runs the scheduled job once per tick", async () => {
      const previous = process.env.COINGATE_RECONCILE_DISABLED
      process.env.COINGATE_RECONCILE_DISABLED = "false"
      const logger: any = getContainer().resolve("logger")
      const info = jest.spyOn(logger, "info")
      const debug = jest.spyOn(logger, "debug")
      try {
        const tick = new Date()
        await Promise.all([coingateReconcileJob(getContainer(), { scheduledFor: tick }), coingateReconcileJob(getContainer(), { scheduledFor: tick })])
        const lines = [...info.mock.calls, ...debug.mock.calls].map((c) => String(c[0])).filter((l) => l.includes(tick.toISOString()))
        expect(lines.filter((l) => /skipped \(another instance runs this tick\)/.test(l))).toHaveLength(1)
        expect(lines.filter((l) => /: due \d+/.test(l))).toHaveLength(1)
      } finally {
        info.mockRestore()
        debug.mockRestore()
        process.env.COINGATE_RECONCILE_DISABLED = previous
        await getContainer().resolve(Modules.LOCKING).release("coingate:reconcile:tick").catch(() => undefined)
      }
    })

    it("backs off from orders CoinGate does not know instead of reading them every minute", async () => {
      const known = await checkout(12)
      await passAt(6)
      expect(await recordOf(getContainer(), known.coingateOrderId)).not.toBeNull()
      const lost = await checkout()
      // CoinGate forgets both orders (e.g. a sandbox reset).
      ;(sim() as any).store.orders.delete(lost.coingateOrderId)
      ;(sim() as any).store.orders.delete(known.coingateOrderId)

      // The session without a record: one failed read, then left alone for an hour.
      const first = await passAt(7)
      expect(first).toMatchObject({ checked: 1, errors: 1, applied: 0 })
      expect(await passAt(8)).toMatchObject({ due: 0, checked: 0 })
      // The record: its next check moves an hour on.
      const failed = await passAt(17)
      expect(failed).toMatchObject({ checked: 1, errors: 1 })
      const record = await recordOf(getContainer(), known.coingateOrderId)
      expect(new Date(record.next_check_at).getTime() - (Date.now() + 17 * MINUTE)).toBeGreaterThan(59 * MINUTE)
      expect(await passAt(30)).toMatchObject({ due: 0, checked: 0 })
      // An hour later both are tried again.
      expect(await passAt(80)).toMatchObject({ due: 2, checked: 2, errors: 2 })
    })

    it("leaves sessions alone once they are two days old, and does not read recorded orders before they are due", async () => {
      const { coingateOrderId } = await checkout()
      // 49 hours later, a session that never had a record is out of the window.
      expect(await passAt(49 * 60)).toMatchObject({ due: 0, checked: 0 })

      await sim().setStatus(coingateOrderId, "new", { callback: false })
      expect(await passAt(6)).toMatchObject({ checked: 1 })
      // `new` is read again 10 minutes after that read, not before.
      expect(await passAt(9)).toMatchObject({ due: 0, checked: 0 })
      expect(await passAt(11)).toMatchObject({ due: 1, checked: 1, changed: 0 })
    })
  },
})
