import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { completeCart, createCart, orderOfCart, seedStore, sessionById, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      store = await seedStore(getContainer())
    })

    it("creates a CoinGate order for the session and hands the storefront its payment_url", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { email: "shopper@example.com" })
      const order = sim().getOrder(coingateOrderId)
      expect(order.order_id).toBe(session.id)
      expect(order.price_amount).toBe("10.50")
      expect(order.price_currency).toBe("EUR")
      expect(session.data.payment_url).toBe(order.payment_url)
      expect(session.data.coingate_status).toBe("new")
      expect(JSON.stringify(session)).not.toContain(order.token)
    })

    it("places the order with a captured payment when the shopper returns after paying", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      await sim().setStatus(coingateOrderId, "paid", { callback: false })

      const res = await completeCart(api, store, cart.id)
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("order")
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
      const paid = await sessionById(getContainer(), session.id)
      expect(paid.payment.captured_at).toBeTruthy()
    })

    it("completes the cart from the callback alone when the shopper never returns", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      await sim().pay(coingateOrderId, { kind: "full" })

      const order = await waitFor("the order", () => orderOfCart(getContainer(), cart.id).then((o) => o?.captured && o))
      expect(order.payments).toHaveLength(1)
      expect(order.captures).toHaveLength(1)
    })
  },
})
