import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { allOrders, completeCart, createCart, orderOfCart, recordOf, seedStore, sessionById, startCoinGatePayment, Store } from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/**
 * Callbacks arrive twice, late, out of order, and at the same time as the shopper's return:
 * whatever their order, one order, one capture, and a captured payment stays captured.
 */
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
      return { cart, ...started }
    }

    async function expectCapturedOnce(cartId: string) {
      const order = await orderOfCart(getContainer(), cartId)
      expect(order).not.toBeNull()
      expect(order!.status).not.toBe("canceled")
      expect(order!.captured).toBe(true)
      expect(order!.payments).toHaveLength(1)
      expect(order!.captures).toHaveLength(1)
      expect(await allOrders(getContainer())).toHaveLength(1)
      return order!
    }

    it("paid, paid again, then stale confirming and pending, then expired after paid: still one captured order", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().pay(coingateOrderId) // pending, confirming, paid
      const first = await expectCapturedOnce(cart.id)

      // Duplicate paid, then stale retries of older statuses (the API says paid).
      for (const overrides of [{}, { status: "confirming" }, { status: "pending" }, { status: "new" }]) {
        const res = await sim().sendCallback(coingateOrderId, { overrides })
        expect(res.status).toBe(200)
      }
      expect((await expectCapturedOnce(cart.id)).id).toBe(first.id)

      // CoinGate itself moves the paid invoice back (reported by merchants): never a downgrade.
      for (const status of ["confirming", "pending", "expired", "canceled", "invalid"]) {
        expect((await sim().setStatus(coingateOrderId, status)).status).toBe(200)
      }
      const after = await expectCapturedOnce(cart.id)
      expect(after.id).toBe(first.id)
      expect((await sessionById(getContainer(), session.id)).status).toBe("authorized")
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record.medusa_state).toBe("captured")
      // The history is of statuses read from CoinGate's API (pay() moves the invoice to paid
      // before its pending and confirming callbacks land, so those read paid too).
      expect(record.history.map((h: any) => h.status)).toEqual(["paid", "confirming", "pending", "expired", "canceled", "invalid"])
    })

    it("a late confirming callback when CoinGate already says paid captures the payment", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      const res = await sim().sendCallback(coingateOrderId, { overrides: { status: "confirming" } })
      expect(res.status).toBe(200)
      await expectCapturedOnce(cart.id)
    })

    it("simultaneous duplicate callbacks and the shopper's return make one order and one capture", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      const o = sim().getOrder(coingateOrderId)
      const body = new URLSearchParams({
        id: String(o.id),
        order_id: o.order_id,
        status: "paid",
        price_amount: o.price_amount,
        price_currency: o.price_currency,
        token: o.token,
      }).toString()
      const post = () =>
        api.post("/hooks/coingate", body, { headers: { "content-type": "application/x-www-form-urlencoded" }, validateStatus: () => true })
      const results = await Promise.all([post(), post(), completeCart(api, store, cart.id), post()])

      const callbacks = [results[0], results[1], results[3]]
      // Each callback either applied the payment (200) or asked to be retried (503); none failed for good.
      for (const res of callbacks) expect([200, 503]).toContain(res.status)
      expect(callbacks.some((res) => res.status === 200)).toBe(true)
      const order = await expectCapturedOnce(cart.id)

      // Whatever answered 503 is retried by CoinGate and then answers 200 without a second capture.
      for (const _ of callbacks.filter((res) => res.status !== 200)) {
        expect((await post()).status).toBe(200)
      }
      const completed = await completeCart(api, store, cart.id)
      expect(completed.status).toBe(200)
      expect(completed.data.order.id).toBe(order.id)
      await expectCapturedOnce(cart.id)
    })

    it("an expired callback for a session that is already canceled changes nothing more", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      expect((await sim().setStatus(coingateOrderId, "expired")).status).toBe(200)
      expect((await sim().sendCallback(coingateOrderId)).status).toBe(200)
      expect((await sessionById(getContainer(), session.id)).status).toBe("canceled")
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
      expect((await recordOf(getContainer(), coingateOrderId)).history.map((h: any) => h.status)).toEqual(["expired"])
    })
  },
})
