import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CoinGateClient } from "../../src/lib/coingate-client"
import { reconcileOnce } from "../../src/sync/reconcile"
import { coingateProvider } from "../../src/sync/provider"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { COINGATE, createCart, orderOfCart, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"
import { MINUTE, paymentFigures } from "../soak/lib/reliability"

jest.setTimeout(600_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * CoinGate's API failing while the plugin talks to it: 5xx, 429, requests that never
 * answer and dropped connections, during session creation, the shopper's return and
 * callbacks. Whatever fails, once the faults stop every paid order ends captured, and
 * none twice.
 *
 * FAULT_ORDERS sets the size of the mixed run at the end (default 6; `npm run test:soak` runs 40).
 */
const KINDS = ["500", "503", "429", "timeout", "drop"] as const
const MIXED_ORDERS = Number(process.env.FAULT_ORDERS ?? 6)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG, newOrderTtlMs: 3_600_000, pendingTtlMs: 3_600_000 })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let originalClient: CoinGateClient

    beforeAll(() => {
      // A "timeout" fault holds the request forever: give up after 1.5 s instead of the default 20 s.
      const provider = coingateProvider(getContainer(), COINGATE)
      originalClient = provider.client_
      provider.client_ = new CoinGateClient({ apiOrigin: sim().url, apiToken: SIM_TOKEN, timeoutMs: 1500, backoffMs: 50 })
    })
    afterAll(() => {
      const container = getContainer()
      if (container && originalClient) coingateProvider(container, COINGATE).client_ = originalClient
    })
    beforeEach(async () => {
      sim().clearFaults()
      store = await seedStore(getContainer())
    })

    const newSessionRequest = async (cartId: string) => {
      const { data: pc } = await api.post("/store/payment-collections", { cart_id: cartId }, { headers: store.headers })
      return (data: Record<string, unknown> = {}) =>
        api.post(`/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, { provider_id: COINGATE, data }, {
          headers: store.headers,
          validateStatus: () => true,
        })
    }

    const expectCapturedOnce = async (cartId: string, sessionId: string) => {
      const order = await orderOfCart(getContainer(), cartId)
      expect(order).not.toBeNull()
      expect(order!.captured).toBe(true)
      expect(order!.payments).toHaveLength(1)
      expect(order!.captures).toHaveLength(1)
      expect(await paymentFigures(getContainer(), sessionId)).toMatchObject({ payments: 1, captures: 1 })
    }

    describe("while the session is created", () => {
      it.each(KINDS)("answers an error when CoinGate fails (%s), creates no invoice, and a retry works", async (kind) => {
        const cart = await createCart(getContainer(), store, 10.5)
        const create = await newSessionRequest(cart.id)
        const ordersBefore = sim().listOrders().length

        sim().injectFault({ method: "POST", path: "/v2/orders", kind, times: 1 })
        const failed = await create()
        expect(failed.status).toBeGreaterThanOrEqual(400)
        expect(failed.status).toBeLessThan(600)
        expect(JSON.stringify(failed.data)).not.toContain(SIM_TOKEN)
        expect(sim().listOrders().length).toBe(ordersBefore)

        const retried = await create({ email: "shopper@example.com" })
        expect(retried.status).toBe(200)
        const session = retried.data.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
        expect(session.data.payment_url).toBeTruthy()
        expect(sim().listOrders().length).toBe(ordersBefore + 1)

        // And the payment goes through end to end.
        await sim().pay(session.data.coingate_order_id, { kind: "full" })
        await waitFor("the capture", () => orderOfCart(getContainer(), cart.id).then((o) => o?.captured && o))
        await expectCapturedOnce(cart.id, session.id)
      })
    })

    describe("when the shopper returns", () => {
      it.each(KINDS)("still sends the shopper on when CoinGate fails (%s), and captures once it answers again", async (kind) => {
        const cart = await createCart(getContainer(), store, 10.5)
        const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
        await sim().setStatus(coingateOrderId, "paid", { callback: false })

        // Every read fails: the client's three attempts.
        sim().injectFault({ method: "GET", path: `/v2/orders/${coingateOrderId}`, kind, times: 3 })
        const back = await api.get(`/coingate/return/${session.id}`, { maxRedirects: 0, validateStatus: () => true })
        expect([200, 303]).toContain(back.status)
        if (back.status === 303) expect(back.headers.location).toContain(cart.id)
        expect(await orderOfCart(getContainer(), cart.id)).toBeNull()

        // The storefront's status check while CoinGate still fails: an error, not a crash.
        sim().injectFault({ method: "GET", path: `/v2/orders/${coingateOrderId}`, kind, times: 3 })
        const check = await api.post(`/store/coingate/payment-sessions/${session.id}/sync`, {}, { headers: store.headers, validateStatus: () => true })
        expect(check.status).toBeGreaterThanOrEqual(400)
        expect(check.status).toBeLessThan(600)
        expect(await orderOfCart(getContainer(), cart.id)).toBeNull()

        // CoinGate answers again: the shopper reloads the return page.
        await new Promise((r) => setTimeout(r, 1100))
        const again = await api.get(`/coingate/return/${session.id}`, { maxRedirects: 0, validateStatus: () => true })
        expect([200, 303]).toContain(again.status)
        await expectCapturedOnce(cart.id, session.id)
      })
    })

    describe("when CoinGate calls back", () => {
      it.each(KINDS)("answers 503 while the order cannot be read (%s); CoinGate's retry captures it", async (kind) => {
        const cart = await createCart(getContainer(), store, 10.5)
        const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
        await sim().setStatus(coingateOrderId, "paid", { callback: false })

        sim().injectFault({ method: "GET", path: `/v2/orders/${coingateOrderId}`, kind, times: 3 })
        const first = await sim().sendCallback(coingateOrderId)
        expect(first.status).toBe(503)

        await waitFor("CoinGate's retry to be delivered", async () =>
          sim().callbackLog.some((c: any) => c.orderId === coingateOrderId && c.outcome === "delivered")
        )
        const attempts = sim().callbackLog.filter((c: any) => c.orderId === coingateOrderId)
        expect(attempts[0]).toMatchObject({ status: 503, outcome: "retrying" })
        expect(attempts[attempts.length - 1]).toMatchObject({ status: 200, outcome: "delivered" })
        await expectCapturedOnce(cart.id, session.id)
      })
    })

    it(`mixed faults on ${MIXED_ORDERS} orders: all captured once the faults stop, none twice`, async () => {
      const figures = { orders: 0, faultsInjected: 0, sessionErrors: 0, callbacks503: 0, lost: 0, doubled: 0 }
      const checkouts: { cartId: string; sessionId: string; coingateOrderId: number }[] = []

      for (let i = 0; i < MIXED_ORDERS; i++) {
        const kind = KINDS[i % KINDS.length]
        const cart = await createCart(getContainer(), store, 10 + i)
        const create = await newSessionRequest(cart.id)
        // Creation fails once for every other order; the storefront retries.
        if (i % 2 === 0) {
          sim().injectFault({ method: "POST", path: "/v2/orders", kind, times: 1 })
          figures.faultsInjected++
          const failed = await create()
          expect(failed.status).toBeGreaterThanOrEqual(400)
          figures.sessionErrors++
        }
        const res = await create()
        expect(res.status).toBe(200)
        const session = res.data.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
        checkouts.push({ cartId: cart.id, sessionId: session.id, coingateOrderId: session.data.coingate_order_id })
      }

      // Everyone pays while reads of the orders fail now and then: callbacks get 503s, some
      // returns cannot read the order.
      await Promise.all(
        checkouts.map(async (c, i) => {
          const kind = KINDS[(i + 1) % KINDS.length]
          sim().injectFault({ method: "GET", path: `/v2/orders/${c.coingateOrderId}`, kind, times: 1 + (i % 4) })
          figures.faultsInjected++
          await sim().pay(c.coingateOrderId, { kind: "full" })
          if (i % 3 === 0) await api.get(`/coingate/return/${c.sessionId}`, { maxRedirects: 0, validateStatus: () => true })
        })
      )

      // Faults stop. CoinGate's retries and one reconciliation pass finish the job.
      sim().clearFaults()
      await waitFor("CoinGate's callback backlog to drain", async () => sim().stats().callbackBacklog === 0, { timeoutMs: 120_000, everyMs: 500 })
      await reconcileOnce(getContainer(), { now: Date.now() + 6 * MINUTE, budget: 150 })

      figures.callbacks503 = sim().callbackLog.filter((c: any) => c.status === 503).length
      for (const c of checkouts) {
        figures.orders++
        const f = await paymentFigures(getContainer(), c.sessionId)
        const order = await orderOfCart(getContainer(), c.cartId)
        if (!order || !f.captured) figures.lost++
        if (f.captures > 1 || f.payments > 1) figures.doubled++
      }
      console.log(`[soak] faults: ${JSON.stringify({ cases: figures.orders, ordersChecked: figures.orders, ...figures })}`)
      expect(figures.lost).toBe(0)
      expect(figures.doubled).toBe(0)
      for (const c of checkouts) await expectCapturedOnce(c.cartId, c.sessionId)
    })
  },
})
