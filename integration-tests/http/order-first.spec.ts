import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { completeCart, createCart, orderOfCart, seedStore, sessionById, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/**
 * The order-first storefront flow (session data `flow: "order_first"`): the cart is
 * completed BEFORE the shopper is sent to CoinGate, into an order awaiting payment; the
 * payment is captured on that order when CoinGate says paid, and the order is canceled
 * when the invoice expires unpaid.
 */
medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      store = await seedStore(getContainer())
    })

    /** Cart, order-first session, and the completion the storefront makes before redirecting. */
    async function placeOrderFirst() {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id, {
        email: "shopper@example.com",
        flow: "order_first",
      })
      expect(session.data.flow).toBe("order_first")
      const res = await completeCart(api, store, cart.id)
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("order")
      return { cart, session, coingateOrderId, orderId: res.data.order.id as string }
    }

    it("places the order awaiting payment before the shopper pays", async () => {
      const { cart, session, coingateOrderId, orderId } = await placeOrderFirst()
      expect(sim().getOrder(coingateOrderId).status).toBe("new")
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.id).toBe(orderId)
      expect(order!.status).toBe("pending")
      expect(order!.payments).toHaveLength(0)
      expect(order!.payment_collections[0].status).toBe("awaiting")
      expect((await sessionById(getContainer(), session.id)).status).toBe("pending_authorization")
    })

    it("captures the payment on the same order when CoinGate says paid", async () => {
      const { cart, session, coingateOrderId, orderId } = await placeOrderFirst()
      await sim().pay(coingateOrderId, { kind: "full" })

      const order = await waitFor("the captured payment", () => orderOfCart(getContainer(), cart.id).then((o) => o?.captured && o))
      expect(order.id).toBe(orderId)
      expect(order.status).toBe("pending")
      expect(order.payments).toHaveLength(1)
      expect(order.captures).toHaveLength(1)
      expect(Number(order.captures[0].amount)).toBe(10.5)
      const { data: sync } = await api.post(`/store/coingate/payment-sessions/${session.id}/sync`, { cart_id: cart.id }, { headers: store.headers })
      expect(sync).toMatchObject({ state: "captured", coingate_status: "paid", order_id: orderId, cart_id: cart.id })
    })

    it("cancels the order when the invoice expires unpaid (here: underpaid, then expired)", async () => {
      const { cart, session, coingateOrderId, orderId } = await placeOrderFirst()
      const { data: awaiting } = await api.post(`/store/coingate/payment-sessions/${session.id}/sync`, { cart_id: cart.id }, { headers: store.headers })
      expect(awaiting).toMatchObject({ state: "awaiting_payment", coingate_status: "new", order_id: orderId })

      // The shopper underpays; the invoice then runs out (20 minutes at CoinGate).
      await sim().pay(coingateOrderId, { kind: "underpay" })
      expect(sim().getOrder(coingateOrderId)).toMatchObject({ status: "pending" })
      await sim().setStatus(coingateOrderId, "expired")
      const order = await waitFor("the canceled order", () => orderOfCart(getContainer(), cart.id).then((o) => o?.status === "canceled" && o))
      expect(order.id).toBe(orderId)
      expect(order.payments).toHaveLength(0)
      expect((await sessionById(getContainer(), session.id)).status).toBe("canceled")
      const { data: sync } = await api.post(`/store/coingate/payment-sessions/${session.id}/sync`, { cart_id: cart.id }, { headers: store.headers })
      expect(sync).toMatchObject({ state: "canceled", coingate_status: "expired", order_id: orderId })
    })

    it("answers canceled with CoinGate's status when the shopper cancels on the invoice (the return page says why)", async () => {
      const { cart, session, coingateOrderId, orderId } = await placeOrderFirst()
      await sim().setStatus(coingateOrderId, "canceled")
      await waitFor("the canceled order", () => orderOfCart(getContainer(), cart.id).then((o) => o?.status === "canceled" && o))
      const { data: sync } = await api.post(`/store/coingate/payment-sessions/${session.id}/sync`, { cart_id: cart.id }, { headers: store.headers })
      expect(sync).toMatchObject({ state: "canceled", coingate_status: "canceled", order_id: orderId })
    })

    it("still answers 400 at completion for an unpaid invoice in the default (redirect-first) flow", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      await startCoinGatePayment(api, store, cart.id, { email: "shopper@example.com" })
      const res = await completeCart(api, store, cart.id)
      expect(res.status).toBe(400)
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
    })

    it("rejects an unknown flow when the session is created", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, { headers: store.headers })
      const res = await api.post(
        `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
        { provider_id: "pp_coingate_coingate", data: { flow: "order-first" } },
        { headers: store.headers, validateStatus: () => true }
      )
      expect(res.status).toBe(400)
      expect(JSON.stringify(res.data)).toMatch(/flow/)
    })
  },
})
