import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import {
  allOrders,
  completeCart,
  createCart,
  orderOfCart,
  recordOf,
  seedStore,
  sessionById,
  startCoinGatePayment,
  Store,
  waitFor,
} from "../helpers/store"
import { orderReads } from "../soak/lib/reliability"

jest.setTimeout(180_000)

const { sim, backendUrl } = useSimulator({ log: !!process.env.SIM_LOG })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    /** A cart of 10.50 EUR with a CoinGate session. */
    async function checkout() {
      const cart = await createCart(getContainer(), store, 10.5)
      const started = await startCoinGatePayment(api, store, cart.id)
      return { cart, ...started }
    }

    it("creates a CoinGate order for the session and hands the storefront its payment_url", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { email: "shopper@example.com" })
      const order = sim().getOrder(coingateOrderId)
      expect(order.order_id).toBe(session.id)
      expect(order.price_amount).toBe("10.5") // asked 10.50; CoinGate answers BigDecimal-style
      expect(order.price_currency).toBe("EUR")
      expect(order.callback_url).toBe(`${backendUrl()}/hooks/coingate`)
      // The return URLs carry the session's return token (issue 22, finding 7): it, not the session id, opens the cart id.
      expect(order.success_url).toMatch(new RegExp(`^${backendUrl()}/coingate/return/${session.id}\\?outcome=success&return_token=[A-Za-z0-9_-]{43}$`))
      expect(session.data.payment_url).toBe(order.payment_url)
      expect(session.data.coingate_status).toBe("new")
      expect(JSON.stringify(session)).not.toContain(order.token)
      // The shopper reads the shop and what is bought on the invoice, never an internal id.
      const { data: stores } = await getContainer().resolve("query").graph({ entity: "store", fields: ["name"] })
      expect(order.title).toBe(`${stores[0].name}: Sticker`)
      expect(order.description).toBe(`Your order at ${stores[0].name}: 1 × Sticker (1 item)`)
      expect(`${order.title} ${order.description}`).not.toMatch(/payses_|cart_|pay_col/)
    })

    it("places the order with a captured payment when the shopper returns after paying", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })

      const res = await completeCart(api, store, cart.id)
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("order")
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
      const paid = await sessionById(getContainer(), session.id)
      expect(paid.payment?.captured_at).toBeTruthy()

      // The paid callback arriving afterwards changes nothing.
      const late = await sim().sendCallback(coingateOrderId)
      expect(late.status).toBe(200)
      expect((await orderOfCart(getContainer(), cart.id))!.captures).toHaveLength(1)
      expect(await allOrders(getContainer())).toHaveLength(1)
    })

    it("shopper's return route: re-reads the order, completes the paid cart, redirects (303) to the storefront", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })

      const { success_url, cancel_url } = sim().getOrder(coingateOrderId)
      const res = await api.get(success_url, { maxRedirects: 0, validateStatus: () => true })
      expect(res.status).toBe(303)
      expect(res.headers.location).toBe(`http://localhost:8000/checkout/coingate/${cart.id}?session=${session.id}`)
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect((await recordOf(getContainer(), coingateOrderId)).history.map((h: any) => h.source)).toEqual(["return"])

      const canceled = await api.get(cancel_url, { maxRedirects: 0, validateStatus: () => true })
      expect(canceled.status).toBe(303)
      expect(canceled.headers.location).toBe(`http://localhost:8000/checkout?canceled=${cart.id}`)
      const unknown = await api.get(`/coingate/return/payses_nope`, { maxRedirects: 0, validateStatus: () => true })
      expect(unknown.status).toBe(404)
    })

    it("storefront sync route answers where the payment stands", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      const sync = () => api.post(`/store/coingate/payment-sessions/${session.id}/sync`, { cart_id: cart.id }, { headers: store.headers })

      const before = await sync()
      expect(before.data).toEqual({ payment_session_id: session.id, coingate_status: "new", state: "pending", cart_id: cart.id, order_id: null })

      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      // Within two seconds the answer comes from the record (a polling page does not hammer CoinGate).
      expect((await sync()).data.coingate_status).toBe("new")
      const after = await waitFor("the sync to see paid", async () => {
        const { data } = await sync()
        return data.coingate_status === "paid" && data
      }, { timeoutMs: 5000, everyMs: 500 })
      const order = await orderOfCart(getContainer(), cart.id)
      expect(after).toEqual({ payment_session_id: session.id, coingate_status: "paid", state: "captured", cart_id: cart.id, order_id: order!.id })

      const unknown = await api.post(`/store/coingate/payment-sessions/payses_nope/sync`, {}, { headers: store.headers, validateStatus: () => true })
      expect(unknown.status).toBe(404)
    })

    it("storefront sync route answers 503 (try again) while CoinGate cannot be reached, then recovers", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      sim().injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind: "503", times: 3 })
      const sync = () => api.post(`/store/coingate/payment-sessions/${session.id}/sync`, { cart_id: cart.id }, { headers: store.headers, validateStatus: () => true })
      const down = await sync()
      expect(down.status).toBe(503)
      expect(down.headers["retry-after"]).toBeDefined()
      expect(down.data.message).toMatch(/CoinGate/)
      const up = await sync()
      expect(up.status).toBe(200)
      expect(up.data).toMatchObject({ coingate_status: "paid", state: "captured", cart_id: cart.id })
    })

    it("completes the cart from the callback alone when the shopper never returns (form callbacks)", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().pay(coingateOrderId, { kind: "full" })

      const order = await waitFor("the order", () => orderOfCart(getContainer(), cart.id).then((o) => o?.captured && o))
      expect(order.payments).toHaveLength(1)
      expect(order.captures).toHaveLength(1)
      const deliveries = sim().callbackLog.filter((c: any) => c.orderId === coingateOrderId)
      expect(deliveries.map((c: any) => [c.format, c.body.status, c.status])).toEqual([
        ["form", "pending", 200],
        ["form", "confirming", 200],
        ["form", "paid", 200],
      ])
    })

    it("accepts JSON callbacks the same way", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      const delivered = await sim().sendCallback(coingateOrderId, { format: "json" })
      expect(delivered.status).toBe(200)
      expect(sim().callbackLog.at(-1).format).toBe("json")
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
    })

    it("return during confirming: the order is placed awaiting payment, then paid captures it on the same order", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().pay(coingateOrderId, { confirm: false }) // pending, confirming callbacks
      const res = await completeCart(api, store, cart.id)
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("order")
      const awaiting = await orderOfCart(getContainer(), cart.id)
      expect(awaiting!.payments).toHaveLength(0)
      expect(awaiting!.payment_collections[0].status).toBe("awaiting")
      expect((await sessionById(getContainer(), session.id)).status).toBe("pending_authorization")
      expect((await recordOf(getContainer(), coingateOrderId)).medusa_state).toBe("awaiting_payment")

      await sim().setStatus(coingateOrderId, "paid")
      const paid = await orderOfCart(getContainer(), cart.id)
      expect(paid!.id).toBe(awaiting!.id)
      expect(paid!.captured).toBe(true)
      expect(paid!.captures).toHaveLength(1)
      expect(await allOrders(getContainer())).toHaveLength(1)
      expect((await recordOf(getContainer(), coingateOrderId)).medusa_state).toBe("captured")
    })

    it("callbacks through Medusa's own /hooks/payment/coingate_coingate route are applied too", async () => {
      const { cart, coingateOrderId } = await checkout()
      const forgedCheckout = await checkout()
      const viaMedusa = { url: `${backendUrl()}/hooks/payment/coingate_coingate` }

      // confirming: Medusa's own subscriber ignores it; the plugin's subscriber places the order.
      await sim().setStatus(coingateOrderId, "confirming", { callback: false })
      expect((await sim().sendCallback(coingateOrderId, viaMedusa)).status).toBe(200)
      // Meanwhile a forged paid callback for another cart goes the same way: both subscribers ignore it.
      await sim().setStatus(forgedCheckout.coingateOrderId, "paid", { callback: false })
      expect((await sim().sendCallback(forgedCheckout.coingateOrderId, { ...viaMedusa, overrides: { token: "forged" } })).status).toBe(200)
      const awaiting = await waitFor("the order awaiting payment", () => orderOfCart(getContainer(), cart.id), { timeoutMs: 12_000 })
      expect(awaiting.captured).toBe(false)

      // paid: both subscribers run; still one order, one capture.
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      expect((await sim().sendCallback(coingateOrderId, viaMedusa)).status).toBe(200)
      const paid = await waitFor("the capture", () => orderOfCart(getContainer(), cart.id).then((o) => o?.captured && o), { timeoutMs: 12_000 })
      expect(paid.id).toBe(awaiting.id)
      await new Promise((r) => setTimeout(r, 1000)) // let the second subscriber finish
      const final = await orderOfCart(getContainer(), cart.id)
      expect(final!.captures).toHaveLength(1)
      expect(await allOrders(getContainer())).toHaveLength(1)
      expect((await recordOf(getContainer(), coingateOrderId)).history.map((h: any) => h.source)).toContain("medusa_webhook")
      expect(await orderOfCart(getContainer(), forgedCheckout.cart.id)).toBeNull()
      expect((await sessionById(getContainer(), forgedCheckout.session.id)).payment).toBeFalsy()
      expect(await recordOf(getContainer(), forgedCheckout.coingateOrderId)).toBeNull()
    })

    it("a callback through Medusa's /hooks/payment reads CoinGate once for both subscribers (Medusa's and the plugin's)", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "confirming", { callback: false })
      const readsBefore = orderReads(sim())
      expect((await sim().sendCallback(coingateOrderId, { url: `${backendUrl()}/hooks/payment/coingate_coingate` })).status).toBe(200)
      await waitFor("the order awaiting payment", () => orderOfCart(getContainer(), cart.id), { timeoutMs: 12_000 })
      await waitFor("the callback logged", async () => (await recordOf(getContainer(), coingateOrderId))?.history.some((h: any) => h.source === "medusa_webhook"), { timeoutMs: 12_000 })
      await new Promise((r) => setTimeout(r, 1000)) // let Medusa's subscriber finish
      // One read verifies the callback for both subscribers; the cart's completion authorizes from it too.
      expect(orderReads(sim()) - readsBefore).toBe(1)
    })
  },
})
