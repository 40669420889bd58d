import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CoinGateClient } from "../../src/coingate/client"
import { SharedRequestBudget } from "../../src/coingate/request-budget"
import { coingateGateway } from "../../src/gateway/index"
import { NEW_INVOICES_PER_CART, NEW_INVOICE_WINDOW_MS } from "../../src/gateway/new-invoices"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { COINGATE, createCart, orderOfCart, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(300_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Issue 22, finding 6: anyone with the publishable key can ask for payment sessions, and each used to
 * make a CoinGate invoice (240 requests on 2 carts made 199 invoices and 335 CoinGate 429s, shoppers got
 * 500, a real payment's callbacks 503). The simulator enforces CoinGate's 200 requests a minute and 500
 * invoices an hour.
 */
const FLOOD = 240
const WAVES = 5
const MAX_INVOICES = 40

const { sim } = useSimulator({ rateLimitPerMinute: 200, orderQuotaPerHour: 500, log: !!process.env.SIM_LOG })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    /** A cart with its payment collection, and a function asking for a CoinGate session on it. */
    const cartWithCollection = async (price: number) => {
      const cart = await createCart(getContainer(), store, price)
      const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, { headers: store.headers })
      const ask = (data: Record<string, unknown> = {}) =>
        api.post(`/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, { provider_id: COINGATE, data }, { headers: store.headers, validateStatus: () => true })
      return { cart, ask }
    }
    const sessionOf = (res: any) => res.data.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
    /** Invoices CoinGate holds (made, whatever the store heard back). */
    const invoicesMade = () => sim().listOrders().length

    it(`${FLOOD} anonymous session creations on 2 carts: at most ${MAX_INVOICES} invoices, no 500, a payment meanwhile captured on the first or second callback`, async () => {
      const flooded = [await cartWithCollection(10), await cartWithCollection(11)]
      const payerCart = await createCart(getContainer(), store, 42)
      const payer = await startCoinGatePayment(api, store, payerCart.id)
      const before = invoicesMade()

      // Half the requests repeat the storefront's own; the other half ask for another email each time (a new invoice each, without the limit).
      const request = (i: number) => flooded[i % 2].ask(i % 4 < 2 ? {} : { email: `flood-${i}@example.com` })
      const answers: Record<number, number> = {}
      let payment: Promise<unknown> | null = null
      const perWave = FLOOD / WAVES
      const started = Date.now()
      for (let wave = 0; wave < WAVES; wave++) {
        const requests = Array.from({ length: perWave }, (_, j) => request(wave * perWave + j))
        if (wave === 1) payment = sim().pay(payer.coingateOrderId)
        for (const res of await Promise.all(requests)) answers[res.status] = (answers[res.status] ?? 0) + 1
      }
      const floodMs = Date.now() - started
      await payment

      const attempts = () => sim().callbackLog.filter((c: any) => c.orderId === payer.coingateOrderId && c.body?.status === "paid")
      const delivered = await waitFor("the paid callback delivered", async () => attempts().find((a: any) => a.outcome === "delivered"), { timeoutMs: 60_000 })
      const invoices = invoicesMade() - before
      console.log(
        `[flood] ${FLOOD} session creations on 2 carts in ${floodMs} ms: ${invoices} CoinGate invoices (${sim().stats().byRoute["POST /v2/orders"] ?? 0} POST /v2/orders in all), answers ${JSON.stringify(answers)}, ` +
          `CoinGate 429s ${sim().requestLog.filter((r: any) => r.status === 429).length}, paid callback attempts ${JSON.stringify(attempts().map((a: any) => a.status))}`
      )
      expect(invoices).toBeLessThanOrEqual(MAX_INVOICES)
      expect(answers[500] ?? 0).toBe(0)
      for (const status of Object.keys(answers).map(Number)) expect([200, 429]).toContain(status)
      expect(delivered.attempt).toBeLessThanOrEqual(2)
      expect((await orderOfCart(getContainer(), payerCart.id))?.captured).toBe(true)
    })

    it("an unchanged request reuses the open invoice; a canceled one is replaced", async () => {
      const { ask } = await cartWithCollection(10.5)
      const first = sessionOf(await ask({ email: "shopper@example.com" }))
      const made = invoicesMade()

      const again = await ask({ email: "shopper@example.com" })
      expect(again.status).toBe(200)
      expect(sessionOf(again)).toMatchObject({ id: first.id, data: { coingate_order_id: first.data.coingate_order_id, payment_url: first.data.payment_url } })
      expect(invoicesMade()).toBe(made)

      // The shopper cancels on CoinGate's page: that invoice cannot be paid, so the next request makes a new one.
      await sim().cancel(first.data.coingate_order_id)
      const replaced = await ask({ email: "shopper@example.com" })
      expect(replaced.status).toBe(200)
      expect(sessionOf(replaced).data.coingate_order_id).not.toBe(first.data.coingate_order_id)
      expect(invoicesMade()).toBe(made + 1)
    })

    it("a changed price makes a new invoice at the new price, which the next unchanged request reuses", async () => {
      const { cart, ask } = await cartWithCollection(10.5)
      const first = sessionOf(await ask())
      const { data } = await api.get(`/store/carts/${cart.id}`, { headers: store.headers })
      await api.post(`/store/carts/${cart.id}/line-items/${data.cart.items[0].id}`, { quantity: 2 }, { headers: store.headers })

      const repriced = sessionOf(await ask())
      expect(repriced.data.coingate_order_id).not.toBe(first.data.coingate_order_id)
      expect(repriced.data).toMatchObject({ price_amount: "21.00", price_currency: "EUR" })
      expect(sim().getOrder(repriced.data.coingate_order_id).price_amount).toBe("21.0")
      const made = invoicesMade()
      expect(sessionOf(await ask()).data.coingate_order_id).toBe(repriced.data.coingate_order_id)
      expect(invoicesMade()).toBe(made)
    })

    it(`past ${NEW_INVOICES_PER_CART} new invoices in 10 minutes a cart gets 429 with Retry-After, and its open invoice is still served`, async () => {
      const { ask } = await cartWithCollection(10.5)
      const made = invoicesMade()
      for (let i = 0; i < NEW_INVOICES_PER_CART; i++) expect((await ask({ email: `buyer-${i}@example.com` })).status).toBe(200)
      expect(invoicesMade()).toBe(made + NEW_INVOICES_PER_CART)

      const refused = await ask({ email: "one-more@example.com" })
      expect(refused.status).toBe(429)
      const retryAfter = Number(refused.headers["retry-after"])
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      expect(retryAfter).toBeLessThanOrEqual(NEW_INVOICE_WINDOW_MS / 1000)
      expect(invoicesMade()).toBe(made + NEW_INVOICES_PER_CART)
      // The last invoice is still there for the shopper who asks for it unchanged.
      const open = await ask({ email: `buyer-${NEW_INVOICES_PER_CART - 1}@example.com` })
      expect(open.status).toBe(200)
      expect(sessionOf(open).data.email).toBe(`buyer-${NEW_INVOICES_PER_CART - 1}@example.com`)
    })

    it("once the checkout share of the request budget is spent: 429 with Retry-After, nothing sent to CoinGate", async () => {
      const provider = coingateGateway(getContainer(), COINGATE)
      const original = provider.client
      provider.client = new CoinGateClient({ apiOrigin: sim().url, apiToken: SIM_TOKEN, timeoutMs: 5000, budget: new SharedRequestBudget({ checkout: 1 }) })
      try {
        expect((await (await cartWithCollection(10)).ask()).status).toBe(200)
        const made = invoicesMade()
        const refused = await (await cartWithCollection(11)).ask()
        expect(refused.status).toBe(429)
        expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1)
        expect(invoicesMade()).toBe(made)
      } finally {
        provider.client = original
      }
    })
  },
})
