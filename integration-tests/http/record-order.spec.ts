import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { applyCoinGateOrder } from "../../src/workflows/run-apply"
import { saveRecord } from "../../src/payments/record-writes"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { backwardEntries, stateViolations } from "../helpers/state-path"
import { COINGATE, createCart, orderOfCart, recordOf, seedStore, sessionById, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(300_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Issue 22, finding 10: the plugin's record of a payment went back (`paid` -> `pending`) 160-340 ms after a fast
 * payment's callback, with no CoinGate read in between. The public routes answer from a record under 3 s old and,
 * when Medusa moved meanwhile (the callback's capture, before the callback saved its record), applied that
 * record's older snapshot again, and the record was written with no ordering check. Every write of CoinGate's
 * state is ordered now (src/payments/rules/snapshot-order.ts, src/payments/record-writes.ts).
 */

const { sim } = useSimulator({ log: !!process.env.SIM_LOG, retryDelaysMs: [] })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    async function checkout() {
      const cart = await createCart(getContainer(), store, 10.5)
      const started = await startCoinGatePayment(api, store, cart.id)
      return { cart, cartId: cart.id as string, sessionId: started.session.id as string, coingateOrderId: started.coingateOrderId }
    }
    const storefrontCheck = (sessionId: string) => api.post(`/store/coingate/payment-sessions/${sessionId}/sync`, {}, { headers: store.headers, validateStatus: () => true })
    const shopperReturn = (sessionId: string) => api.get(`/coingate/return/${sessionId}`, { maxRedirects: 0, validateStatus: () => true })

    it("an older snapshot applied after a newer one (the public routes' re-apply, a return's read that lost the race) changes neither the record nor Medusa", async () => {
      const container = getContainer()
      const t = await checkout()
      await sim().setStatus(t.coingateOrderId, "pending", { callback: false })
      // The storefront's check reads pending from CoinGate: that read happened inside [requestedAt, answeredAt].
      const requestedAt = new Date().toISOString()
      expect((await storefrontCheck(t.sessionId)).status).toBe(200)
      const read = { requestedAt, answeredAt: new Date().toISOString() }
      const pending = await recordOf(container, t.coingateOrderId)
      expect(pending.status).toBe("pending")

      // The shopper pays; the callback reads paid, captures and records it.
      await sim().setStatus(t.coingateOrderId, "paid")
      await waitFor("the paid record", async () => (await recordOf(container, t.coingateOrderId))?.status === "paid")
      expect((await orderOfCart(container, t.cartId))?.captured).toBe(true)

      // What sync-session did when it found the pending record fresh and Medusa moved: apply that snapshot again.
      const outcome = await applyCoinGateOrder(container, { sessionId: t.sessionId, order: pending.snapshot, read, providerId: COINGATE, source: "storefront" } as any)
      expect(outcome.coingateStatus).toBe("paid")
      const record = await recordOf(container, t.coingateOrderId)
      expect(record).toMatchObject({ status: "paid", medusa_state: "captured", snapshot: { status: "paid" } })
      expect(record.history.map((h: any) => h.status)).toEqual(["pending", "paid"])
      expect((await sessionById(container, t.sessionId)).data.coingate_status).toBe("paid")
      // The public answer is the newest truth too.
      expect((await storefrontCheck(t.sessionId)).data.coingate_status).toBe("paid")
    })

    it("a snapshot handed in without its read time never takes the record back (only CoinGate's order of statuses can move it)", async () => {
      const container = getContainer()
      const t = await checkout()
      await sim().setStatus(t.coingateOrderId, "canceled")
      await waitFor("the canceled record", async () => (await recordOf(container, t.coingateOrderId))?.status === "canceled")
      const created = { ...sim().getOrder(t.coingateOrderId), status: "new" }
      delete created.token
      await applyCoinGateOrder(container, { sessionId: t.sessionId, order: created, providerId: COINGATE, source: "admin" })
      const record = await recordOf(container, t.coingateOrderId)
      expect(record.status).toBe("canceled")
      expect(backwardEntries(record.history)).toEqual([])
      expect((await sessionById(container, t.sessionId)).status).toBe("canceled")
    })

    it("two writers without a shared lock (another instance on the in-memory locking module): the compare-and-set makes the late one decide again, on the record as it is now", async () => {
      const container = getContainer()
      const t = await checkout()
      await sim().setStatus(t.coingateOrderId, "pending", { callback: false })
      const requestedAt = new Date().toISOString()
      expect((await storefrontCheck(t.sessionId)).status).toBe(200)
      const read = { requestedAt, answeredAt: new Date().toISOString() }
      // The other instance loaded the pending record and is about to save its own (pending) read...
      const loaded = await recordOf(container, t.coingateOrderId)
      // ...while this one applies the paid callback, captures and saves.
      await sim().setStatus(t.coingateOrderId, "paid")
      await waitFor("the paid record", async () => (await recordOf(container, t.coingateOrderId))?.status === "paid")
      await saveRecord(container, {
        existing: loaded,
        order: loaded.snapshot,
        read,
        sessionId: t.sessionId,
        providerId: COINGATE,
        cartId: t.cartId,
        orderId: null,
        medusaState: "pending",
        source: "return",
        now: new Date(),
      })
      const record = await recordOf(container, t.coingateOrderId)
      expect(record).toMatchObject({ status: "paid", medusa_state: "captured" })
      expect(record.history.map((h: any) => h.status)).toEqual(["pending", "paid"])
      expect(record.version).toBeGreaterThan(loaded.version + 1)
    })

    it("fast payments raced by the storefront's status checks and the shopper's returns: every record ends paid, captured, never a step back", async () => {
      const container = getContainer()
      const PAYMENTS = 6
      const violations: string[] = []
      for (let n = 0; n < PAYMENTS; n++) {
        const t = await checkout()
        await sim().setStatus(t.coingateOrderId, "pending", { callback: false })
        // A fresh pending record, as the storefront's first check leaves it.
        expect((await storefrontCheck(t.sessionId)).status).toBe(200)
        let paying = true
        const inFlight: Promise<unknown>[] = []
        const race = (async () => {
          for (let i = 0; paying && i < 400; i++) {
            inFlight.push(i % 3 === 2 ? shopperReturn(t.sessionId) : storefrontCheck(t.sessionId))
            await new Promise((r) => setTimeout(r, 15))
          }
        })()
        // CoinGate moves the invoice to paid, then posts its callback (answered after the capture and the record).
        await sim().setStatus(t.coingateOrderId, "paid")
        paying = false
        await race
        await Promise.all(inFlight)
        violations.push(...(await stateViolations(container, t, ["pending", "paid"])).map((v) => `payment ${n}: ${v}`))
      }
      expect(violations).toEqual([])
    })
  },
})
