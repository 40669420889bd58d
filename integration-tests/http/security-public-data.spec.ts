import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { COINGATE, createCart, orderOfCart, recordOf, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"
import { allRecords } from "../soak/lib/reliability"

jest.setTimeout(300_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Issue 10, findings 6 and 8 and "public data holds only public fields", with nothing but
 * the store's public URL and publishable key. The store configures no successUrl/cancelUrl,
 * so return URLs are allowed only on its storeCors origins.
 */
const STOREFRONT = "http://localhost:8000"
const PUBLIC_KEYS = ["payment_url", "coingate_order_id", "coingate_status", "price_amount", "price_currency", "session_id", "success_url", "cancel_url", "email", "flow"]

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })
beforeAll(() => {
  // After useSimulator's beforeAll (which sets them), before the app boots.
  delete process.env.COINGATE_SUCCESS_URL
  delete process.env.COINGATE_CANCEL_URL
  process.env.STORE_CORS = `${STOREFRONT},http://127.0.0.1:8000`
})

/** Keys a shopper would plant: the plugin's former internal state, with plausible values, and junk. */
const INJECTED = {
  coingate_refund_request: {
    method: "payout",
    amount: "5.00",
    amount_currency_id: 1,
    address: "bc1qattackeraddress0000000000000000000000",
    ledger_account_id: "01HLEDGERACCOUNT",
    beneficiary: { email: "attacker@example.com", country: "LT", first_name: "A", last_name: "B" },
    expires_at: "2099-01-01T00:00:00.000Z",
  },
  coingate_refunds: [{ id: 1, kind: "refund", amount: "900.00", status: "pending" }],
  coingate_manual_refunds: [{ amount: "900.00", note: "please pay me" }],
  foo: "bar",
}

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    const sync = (sessionId: string, body: Record<string, unknown> = {}) =>
      api.post(`/store/coingate/payment-sessions/${sessionId}/sync`, body, { headers: store.headers, validateStatus: () => true })
    /** The shopper's return, as CoinGate sends it (the invoice's success_url, with its return token). */
    const returnRoute = (sessionId: string) => {
      const order = sim().listOrders().find((o: any) => o.order_id === sessionId) as any
      return api.get(order?.success_url ?? `/coingate/return/${sessionId}?outcome=success`, { maxRedirects: 0, validateStatus: () => true })
    }
    const expectOnlyPublicKeys = (data: Record<string, unknown>) => expect(Object.keys(data).filter((k) => !PUBLIC_KEYS.includes(k))).toEqual([])

    it("public data: keys the storefront sends besides its inputs are absent from session data and payment data", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { ...INJECTED, email: "shopper@example.com" })
      expectOnlyPublicKeys(session.data)
      expect(session.data.email).toBe("shopper@example.com")

      const { data: cartView } = await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers: store.headers })
      const stored = cartView.cart.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
      expectOnlyPublicKeys(stored.data)

      await sim().pay(coingateOrderId, { kind: "full" })
      const order = await waitFor("the order placed by the paid callback", async () => {
        const o = await orderOfCart(getContainer(), cart.id)
        return o?.captured ? o : null
      })
      expectOnlyPublicKeys(order.payments[0].data)
      const { data: orderView } = await api.get(`/store/orders/${order.id}?fields=*payment_collections.payments`, { headers: store.headers })
      const payments = orderView.order.payment_collections.flatMap((c: any) => c.payments)
      expect(payments).toHaveLength(1)
      expectOnlyPublicKeys(payments[0].data)
      expect(JSON.stringify(orderView)).not.toMatch(/attacker|please pay me|coingate_refund/)
    })

    it("closed redirects: a return URL off the store's origins is refused, and the return route never redirects off them", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, { headers: store.headers })
      for (const data of [{ success_url: "https://evil.example/thanks" }, { cancel_url: "https://evil.example/back" }, { success_url: "http://localhost:8001/x" }]) {
        const refused = await api.post(
          `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
          { provider_id: COINGATE, data },
          { headers: store.headers, validateStatus: () => true }
        )
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/successUrl|storeCors/)
      }
      expect(sim().listOrders()).toHaveLength(0)

      // On a storeCors origin: accepted, and the return goes there.
      const { session } = await startCoinGatePayment(api, store, cart.id, { success_url: `${STOREFRONT}/done/{cart_id}` })
      const back = await returnRoute(session.id)
      expect(back.status).toBe(303)
      expect(back.headers.location).toBe(`${STOREFRONT}/done/${cart.id}`)

      // A session stored before the fix with a foreign URL: the return route does not follow it.
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
      await pg.raw(`update payment_session set data = data || ?::jsonb where id = ?`, [JSON.stringify({ success_url: "https://evil.example/phish" }), session.id])
      const held = await returnRoute(session.id)
      if (held.status === 303) expect(new URL(held.headers.location).origin).toBe(STOREFRONT)
      expect(String(held.headers.location ?? "")).not.toContain("evil.example")
    })

    it("issue 22, finding 7: the session id alone (printed on the invoice) yields no cart or order id; the checkout itself still gets them", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const other = await createCart(getContainer(), store, 12)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { success_url: `${STOREFRONT}/done?cart={cart_id}&session={session_id}` })
      await sim().pay(coingateOrderId, { kind: "full" })
      const order = await waitFor("the order placed by the paid callback", async () => {
        const o = await orderOfCart(getContainer(), cart.id)
        return o?.captured ? o : null
      })
      const leaks = (text: unknown) => [cart.id, order.id].filter((id) => String(text ?? "").includes(id))

      // Anyone with the session id: the status a return page needs, nothing that opens the cart or the order.
      for (const body of [{}, { cart_id: other.id }]) {
        const answer = await sync(session.id, body)
        expect(answer.status).toBe(200)
        expect(answer.data).toEqual({ payment_session_id: session.id, coingate_status: "paid", state: "captured" })
      }
      expect((await sync(session.id, { cart_id: { $ne: "" } })).status).toBe(400)
      for (const query of ["", "&return_token=", `&return_token=${"A".repeat(43)}`]) {
        const back = await api.get(`/coingate/return/${session.id}?outcome=success${query}`, { maxRedirects: 0, validateStatus: () => true })
        expect(back.status).toBe(303)
        expect(back.headers.location).toBe(`${STOREFRONT}/done?cart=&session=${session.id}`)
        expect(leaks(back.headers.location)).toEqual([])
      }

      // The storefront, which has the cart: the cart and the order.
      expect((await sync(session.id, { cart_id: cart.id })).data).toEqual({
        payment_session_id: session.id, coingate_status: "paid", state: "captured", cart_id: cart.id, order_id: order.id,
      })
      // The shopper's browser, sent back by CoinGate to the URL the plugin gave it (with its return token).
      const { success_url } = sim().getOrder(coingateOrderId) as any
      expect(success_url).toMatch(/[?&]return_token=[A-Za-z0-9_-]{43}$/)
      const back = await api.get(success_url, { maxRedirects: 0, validateStatus: () => true })
      expect(back.headers.location).toBe(`${STOREFRONT}/done?cart=${cart.id}&session=${session.id}`)
      // The token is in no public data (session data, the store API's cart).
      const { data: cartView } = await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers: store.headers })
      const token = new URL(success_url).searchParams.get("return_token")!
      expect(JSON.stringify(cartView)).not.toContain(token)
    })

    describe("malformed CoinGate answers (finding 6): nothing applied, no other order's id returned", () => {
      /** Two sessions with records; A is the one whose order CoinGate will answer malformed. */
      async function twoRecordedSessions() {
        const make = async (amount: number) => {
          const cart = await createCart(getContainer(), store, amount)
          const started = await startCoinGatePayment(api, store, cart.id)
          await sim().setStatus(started.coingateOrderId, "pending")
          await waitFor("the pending record", () => recordOf(getContainer(), started.coingateOrderId))
          return { cartId: cart.id, sessionId: started.session.id as string, coingateOrderId: started.coingateOrderId }
        }
        const a = await make(10.5)
        const b = await make(12)
        // A's record read long ago, so the storefront's sync reads CoinGate again.
        const service: any = getContainer().resolve("coingate")
        const recordA = await recordOf(getContainer(), a.coingateOrderId)
        await service.updateCoinGatePayments({ id: recordA.id, last_synced_at: new Date(Date.now() - 3_600_000) })
        return { a, b }
      }

      const corruptions: Array<[string, (a: number, b: number) => Record<string, unknown>]> = [
        ["an order without id", () => ({ id: undefined })],
        ["an order with another order's id", (_a, b) => ({ id: b })],
        ["an order with an unknown status", () => ({ status: "settled_maybe" })],
        ["a non-decimal price_amount", () => ({ price_amount: "10,50" })],
      ]

      it.each(corruptions)("%s", async (_what, corrupt) => {
        const { a, b } = await twoRecordedSessions()
        const before = JSON.stringify(await allRecords(getContainer()))
        // The stored order answers GET /v2/orders/A malformed from now on (the simulator keeps it under A).
        Object.assign((sim() as any).store.mustGet(a.coingateOrderId), corrupt(a.coingateOrderId, b.coingateOrderId))

        const reads = () => sim().requestLog.filter((r: any) => r.path === `/v2/orders/${a.coingateOrderId}`).length
        const readsBefore = reads()
        const synced = await sync(a.sessionId)
        expect(reads()).toBeGreaterThan(readsBefore)
        expect(JSON.stringify(synced.data)).not.toContain(b.cartId)
        expect(JSON.stringify(synced.data)).not.toContain(String(b.coingateOrderId))
        expect(JSON.stringify(await allRecords(getContainer()))).toBe(before)
        expect(synced.status).not.toBe(200)

        const callback = await sim().sendCallback(a.coingateOrderId, { overrides: { id: a.coingateOrderId, status: "paid" } })
        expect([200, 503]).toContain(callback.status)
        expect(JSON.stringify(callback.body)).not.toContain(String(b.coingateOrderId))
        sim().clearFaults()
        await new Promise((r) => setTimeout(r, 300))
        expect(JSON.stringify(await allRecords(getContainer()))).toBe(before)
      })
    })
  },
})
