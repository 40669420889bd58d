import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import {
  allOrders,
  captureOutput,
  completeCart,
  createCart,
  orderOfCart,
  recordOf,
  seedStore,
  sessionById,
  startCoinGatePayment,
  Store,
} from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/** A payment session's life beyond the happy path: expiry, cancellation, replacement, late payment. */
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

    it("expiry cancels the session; a new session for the same cart is then paid and captured", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      expect((await sim().setStatus(coingateOrderId, "expired")).status).toBe(200)
      const expired = await sessionById(getContainer(), session.id)
      expect(expired.status).toBe("canceled")
      expect(expired.data.coingate_status).toBe("expired")
      expect((await recordOf(getContainer(), coingateOrderId)).medusa_state).toBe("canceled")
      expect((await completeCart(api, store, cart.id)).status).toBe(400)

      const second = await startCoinGatePayment(api, store, cart.id)
      expect(second.session.id).not.toBe(session.id)
      expect(second.coingateOrderId).not.toBe(coingateOrderId)
      await sim().pay(second.coingateOrderId)
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
      expect(await allOrders(getContainer())).toHaveLength(1)
    })

    it("a late payment on an expired invoice, while the cart is still open, is captured", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "expired")
      expect((await sessionById(getContainer(), session.id)).status).toBe("canceled")
      await sim().pay(coingateOrderId) // funds arrive late: expired -> paid
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
    })

    it("the shopper cancels on the invoice: the session is canceled and the return goes to the cancel URL", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().cancel(coingateOrderId)
      expect((await sessionById(getContainer(), session.id)).status).toBe("canceled")
      // The shopper's browser follows the invoice's cancel_url (the plugin's, with its return token).
      const back = await api.get(sim().getOrder(coingateOrderId).cancel_url, { maxRedirects: 0, validateStatus: () => true })
      expect(back.status).toBe(303)
      expect(back.headers.location).toBe(`http://localhost:8000/checkout?canceled=${cart.id}`)
    })

    it("invalid marks the session failed", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "invalid")
      expect((await sessionById(getContainer(), session.id)).status).toBe("error")
      expect((await recordOf(getContainer(), coingateOrderId)).medusa_state).toBe("failed")
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
    })

    it("an order placed on confirming is canceled when the invoice expires; paid afterwards is flagged, not captured", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "confirming")
      const placed = await orderOfCart(getContainer(), cart.id)
      expect(placed).not.toBeNull()
      await sim().setStatus(coingateOrderId, "expired")
      expect((await orderOfCart(getContainer(), cart.id))!.status).toBe("canceled")

      await sim().setStatus(coingateOrderId, "paid")
      const after = await orderOfCart(getContainer(), cart.id)
      expect(after!.status).toBe("canceled")
      expect(after!.captures).toHaveLength(0)
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record).toMatchObject({ status: "paid", attention: "paid_after_cancellation" })
    })

    it("cart changed after the session was created: the old invoice paid later captures nothing and is recorded as orphaned", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      const { data } = await api.get(`/store/carts/${cart.id}`, { headers: store.headers })
      const lineId = data.cart.items[0].id
      await api.post(`/store/carts/${cart.id}/line-items/${lineId}`, { quantity: 2 }, { headers: store.headers })
      // Medusa deleted the session when the total changed.
      expect(await sessionById(getContainer(), session.id)).toBeNull()

      const replacement = await startCoinGatePayment(api, store, cart.id)
      expect(sim().getOrder(replacement.coingateOrderId).price_amount).toBe("21.0") // CoinGate's rendering of 21.00

      const output = captureOutput(getContainer())
      try {
        await sim().pay(coingateOrderId) // the shopper pays the old invoice anyway
      } finally {
        output.stop()
      }
      expect(sim().callbackLog.filter((c: any) => c.orderId === coingateOrderId).every((c: any) => c.status === 200)).toBe(true)
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
      const current = await sessionById(getContainer(), replacement.session.id)
      expect(current.status).toBe("pending")
      expect(current.payment).toBeFalsy()
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record).toMatchObject({ status: "paid", medusa_state: "orphaned", attention: "paid_for_replaced_session", payment_session_id: session.id })
      expect(output.text()).toMatch(new RegExp(`CoinGate order ${coingateOrderId} was paid .*no longer exists`))

      // The new invoice still works.
      await sim().pay(replacement.coingateOrderId)
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
    })
  },
})
