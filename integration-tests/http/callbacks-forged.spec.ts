import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { completeCart, createCart, orderOfCart, recordOf, seedStore, sessionById, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/**
 * What the callback route does with callbacks it must not trust: it answers 200 (so CoinGate
 * stops) and changes nothing, or 503 when it could not check (so CoinGate retries).
 */
medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    async function checkout(amount = 10.5) {
      const cart = await createCart(getContainer(), store, amount)
      const started = await startCoinGatePayment(api, store, cart.id)
      return { cart, ...started }
    }

    /** Nothing happened in Medusa: no order, the session untouched, no record. */
    async function expectUntouched(cartId: string, sessionId: string, coingateOrderId: number) {
      expect(await orderOfCart(getContainer(), cartId)).toBeNull()
      const session = await sessionById(getContainer(), sessionId)
      expect(session.status).toBe("pending")
      expect(session.payment).toBeFalsy()
      expect(session.data.coingate_status).toBe("new")
      expect(await recordOf(getContainer(), coingateOrderId)).toBeNull()
    }

    it("ignores a callback with a wrong token (200, no state change), even when the order is paid", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      const other = await checkout()
      const forged = await sim().setStatus(coingateOrderId, "paid", { overrides: { token: "not-the-token" } })
      expect(forged.status).toBe(200)
      expect(JSON.parse(forged.body)).toMatchObject({ ignored: "not verified" })
      // Another session's (valid) token does not open this session either.
      const crossed = await sim().sendCallback(coingateOrderId, { overrides: { token: sim().getOrder(other.coingateOrderId).token } })
      expect(crossed.status).toBe(200)
      const noToken = await sim().sendCallback(coingateOrderId, { overrides: { token: null }, format: "json" })
      expect(noToken.status).toBe(400) // not a CoinGate callback at all (CoinGate always sends a token)
      await expectUntouched(cart.id, session.id, coingateOrderId)
    })

    it("acts on the API's status, not the posted one: right token, body says paid, API says pending", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      await sim().chooseCoin(coingateOrderId) // pending callback, applied
      const res = await sim().sendCallback(coingateOrderId, { overrides: { status: "paid", paid_at: new Date().toISOString() } })
      expect(res.status).toBe(200)
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
      const after = await sessionById(getContainer(), session.id)
      expect(after.status).toBe("pending")
      expect(after.payment).toBeFalsy()
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record.status).toBe("pending")
      expect(record.history.map((h: any) => h.status)).toEqual(["pending"])
    })

    it("ignores unknown CoinGate orders and unknown or foreign sessions (200)", async () => {
      const { cart, session, coingateOrderId } = await checkout()
      const other = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      await sim().setStatus(other.coingateOrderId, "paid", { callback: false })

      // CoinGate has no such order (right session and token).
      const unknown = await sim().sendCallback(coingateOrderId, { overrides: { id: 99_999_999 } })
      expect(unknown.status).toBe(200)
      // No such session.
      const noSession = await sim().sendCallback(coingateOrderId, { overrides: { order_id: "payses_01NOSUCHSESSION" } })
      expect(noSession.status).toBe(200)
      // Another session's paid CoinGate order posted with this session's id and token.
      const foreign = await sim().sendCallback(coingateOrderId, { overrides: { id: other.coingateOrderId } })
      expect(foreign.status).toBe(200)

      await expectUntouched(cart.id, session.id, coingateOrderId)
      expect(await orderOfCart(getContainer(), other.cart.id)).toBeNull()
      expect(await recordOf(getContainer(), 99_999_999)).toBeNull()
      expect(await recordOf(getContainer(), other.coingateOrderId)).toBeNull()
    })

    it("answers 400 to what is not a CoinGate callback", async () => {
      const res = await api.post("/hooks/coingate", { hello: "world" }, { validateStatus: () => true })
      expect(res.status).toBe(400)
      const form = await api.post("/hooks/coingate", "id=abc&order_id=x&token=y", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        validateStatus: () => true,
      })
      expect(form.status).toBe(400)
      // A callback is a few KB: a large body is refused before it is parsed.
      const huge = await api.post("/hooks/coingate", `id=1&order_id=x&token=y&pad=${"a".repeat(100_000)}`, {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        validateStatus: () => true,
      })
      expect(huge.status).toBe(413)
    })

    it.each([
      ["amount", { price_amount: "9.50" }, "amount_mismatch"],
      ["currency", { price_currency: "USD" }, "currency_mismatch"],
    ])("captures nothing when the paid order's %s differs from the session's, and flags the record", async (_what, fields, attention) => {
      const { cart, session, coingateOrderId } = await checkout()
      const res = await sim().setStatus(coingateOrderId, "paid", { fields })
      expect(res.status).toBe(200)
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
      expect((await sessionById(getContainer(), session.id)).payment).toBeFalsy()
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record).toMatchObject({ status: "paid", medusa_state: "mismatch", attention })
      expect(record.attention_note).toMatch(/EUR/)

      // The shopper's return does not capture it either.
      const completed = await completeCart(api, store, cart.id)
      expect(completed.status).toBe(400)
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
    })

    it("answers 503 while CoinGate's API fails, and 200 once CoinGate's retry gets through", async () => {
      const { cart, coingateOrderId } = await checkout()
      sim().injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind: "503", times: 3 })
      const first = await sim().setStatus(coingateOrderId, "paid")
      expect(first.status).toBe(503)
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()

      const delivered = await waitFor("CoinGate's retry", async () =>
        sim().callbackLog.find((c: any) => c.orderId === coingateOrderId && c.outcome === "delivered")
      )
      expect(delivered).toMatchObject({ attempt: 2, status: 200 })
      expect(sim().callbackLog.filter((c: any) => c.orderId === coingateOrderId).map((c: any) => c.status)).toEqual([503, 200])
      const order = await orderOfCart(getContainer(), cart.id)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
    })
  },
})
