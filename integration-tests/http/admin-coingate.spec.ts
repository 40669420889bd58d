import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosInstance } from "axios"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { COINGATE, completeCart, createCart, orderOfCart, seedStore, startCoinGatePayment, Store, SYSTEM, waitFor, adminClient } from "../helpers/store"

jest.setTimeout(180_000)

// Invoices stay payable for minutes (not the helper's scaled 0.6 s), so that an underpaid one is still pending when looked at.
const { sim, backendUrl } = useSimulator({ log: !!process.env.SIM_LOG, pendingTtlMs: 5 * 60_000, newOrderTtlMs: 10 * 60_000 })

const ADMIN_EMAIL = "admin@example.com"
const ADMIN_PASSWORD = "supersecret-admin"

/** An admin user with an emailpass identity, logged in through Medusa's own auth route. */
async function adminHeaders(container: MedusaContainer, api: AxiosInstance) {
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, success, error } = await auth.register("emailpass", { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } } as any)
  if (!success || !authIdentity) throw new Error(`could not register the admin identity: ${error}`)
  await createUserAccountWorkflow(container).run({ input: { authIdentityId: authIdentity.id, userData: { email: ADMIN_EMAIL } } })
  const { data } = await api.post("/auth/user/emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
  return { authorization: `Bearer ${data.token}` }
}

/** Every response body of the admin API this spec saw, to check that no secret is in any of them. */
const seen: string[] = []

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }

    const admin = adminClient(api, () => headers, seen)

    /** A cart paid (or not) through the simulator; returns its Medusa order once the backend placed it. */
    async function checkout(amount = 10.5) {
      const cart = await createCart(getContainer(), store, amount)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { email: "shopper@example.com" })
      return { cart, session, coingateOrderId }
    }

    const placedOrder = (cartId: string, check: (o: any) => boolean = () => true) =>
      waitFor("the order", () => orderOfCart(getContainer(), cartId).then((o) => (o && check(o) ? o : null)), { timeoutMs: 20_000 })

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api)
      sim().clearFaults()
    })

    afterAll(() => {
      // The API token and every callback token the simulator issued must never appear in an admin answer.
      const secrets = [SIM_TOKEN, ...sim().listOrders().map((o: any) => o.token)].filter(Boolean)
      expect(seen.length).toBeGreaterThan(10)
      for (const body of seen) {
        for (const secret of secrets) expect(body).not.toContain(secret)
      }
    })

    it("requires an admin login for every CoinGate admin route", async () => {
      const anonymous = { validateStatus: () => true }
      const calls = [
        api.get("/admin/coingate/orders/order_123", anonymous),
        api.post("/admin/coingate/orders/order_123/refresh", {}, anonymous),
        api.post("/admin/coingate/payments/cgpay_123/clear-attention", {}, anonymous),
        api.get("/admin/coingate/settings", anonymous),
        api.post("/admin/coingate/settings/test-connection", { provider_id: COINGATE }, anonymous),
      ]
      for (const res of await Promise.all(calls)) expect(res.status).toBe(401)
      const wrong = await api.get("/admin/coingate/settings", { headers: { authorization: "Bearer not-a-jwt" }, validateStatus: () => true })
      expect(wrong.status).toBe(401)
    })

    it("shows a paid order: status history, amounts, transactions, times and the link to the order at the simulator", async () => {
      const { cart, session, coingateOrderId } = await checkout(10.5)
      await sim().pay(coingateOrderId, { kind: "full", payCurrency: "BTC" })
      const order = await placedOrder(cart.id, (o) => o.captured)

      const res = await admin.get(`/admin/coingate/orders/${order.id}`)
      expect(res.status).toBe(200)
      expect(res.data.order_id).toBe(order.id)
      expect(res.data.payments).toHaveLength(1)
      const p = res.data.payments[0]
      const remote = sim().getOrder(coingateOrderId)
      expect(p).toMatchObject({
        id: expect.stringMatching(/^cgpay_/),
        payment_session_id: session.id,
        provider_id: COINGATE,
        coingate_order_id: String(coingateOrderId),
        status: "paid",
        medusa_state: "captured",
        price_amount: "10.50", // CoinGate answers "10.5"; the admin shows EUR's two digits
        price_currency: "EUR",
        pay_amount: remote.pay_amount,
        pay_currency: "BTC",
        receive_amount: remote.receive_amount,
        receive_currency: remote.receive_currency,
        underpaid_amount: null,
        overpaid_amount: null,
        attention: null,
        sandbox: true,
        dashboard_url: remote.payment_url, // the simulator has no dashboard: its invoice page
      })
      expect(p.history.length).toBeGreaterThanOrEqual(1)
      expect(p.history[p.history.length - 1]).toMatchObject({ status: "paid", source: "callback" })
      for (const h of p.history) expect(new Date(h.at).toString()).not.toBe("Invalid Date")
      expect(p.blockchain_transactions).toHaveLength(1)
      expect(p.blockchain_transactions[0]).toMatchObject({
        txid: remote.blockchain_transactions[0].txid,
        amount: remote.pay_amount,
        currency: "BTC",
        status: "confirmed",
        confirmations: 3,
      })
      expect(p.paid_at).toBeTruthy()
      expect(p.expire_at).toBeTruthy()
      expect(p.last_callback_at).toBeTruthy()
      expect(p.last_synced_at).toBeTruthy()
      // Only what the admin needs: no raw snapshot, no session data, no callback token.
      expect(p).not.toHaveProperty("snapshot")
      expect(p).not.toHaveProperty("token")
      expect(JSON.stringify(res.data)).not.toContain(remote.token)

      // The settings view now knows when CoinGate last called.
      const settings = await admin.get("/admin/coingate/settings")
      expect(settings.status).toBe(200)
      expect(settings.data.providers).toEqual([
        {
          id: COINGATE,
          is_enabled: true,
          mode: "sandbox",
          sandbox: true,
          api_origin: sim().url,
          callback_url: `${backendUrl()}/hooks/coingate`,
          last_callback_at: p.last_callback_at,
          last_callback_order_id: String(coingateOrderId),
        },
      ])
    })

    it("shows an underpaid order that CoinGate accepted as paid (underpaid cover), with the amount missing", async () => {
      const { cart, coingateOrderId } = await checkout(20)
      await sim().pay(coingateOrderId, { kind: "underpay", payCurrency: "LTC" })
      const underpaid = sim().getOrder(coingateOrderId)
      expect(underpaid.status).toBe("pending")
      // Within the store's "Underpaid Cover %", CoinGate settles it anyway.
      await sim().setStatus(coingateOrderId, "paid")
      const order = await placedOrder(cart.id, (o) => o.captured)

      const { data } = await admin.get(`/admin/coingate/orders/${order.id}`)
      const p = data.payments[0]
      expect(p.status).toBe("paid")
      expect(p.pay_currency).toBe("LTC")
      expect(p.underpaid_amount).toBe(underpaid.underpaid_amount)
      expect(Number(p.underpaid_amount)).toBeGreaterThan(0)
      expect(p.overpaid_amount).toBeNull()
      expect(Number(p.blockchain_transactions[0].amount)).toBeLessThan(Number(p.pay_amount))
    })

    it("shows an expired order whose Medusa order was canceled, flags a late payment, and clears the flag", async () => {
      const { cart, coingateOrderId } = await checkout(15)
      // Seen on chain, not confirmed: the order is placed awaiting payment ...
      await sim().pay(coingateOrderId, { kind: "full", confirm: false })
      const placed = await placedOrder(cart.id)
      expect(placed.captured).toBe(false)
      // ... then CoinGate gives up on the invoice: the order is canceled.
      await sim().setStatus(coingateOrderId, "expired")
      await waitFor("the cancellation", () => orderOfCart(getContainer(), cart.id).then((o) => o?.status === "canceled"))

      let { data } = await admin.get(`/admin/coingate/orders/${placed.id}`)
      let p = data.payments[0]
      expect(p.status).toBe("expired")
      expect(p.medusa_state).toBe("canceled")
      expect(p.history.map((h: any) => h.status)).toEqual(expect.arrayContaining(["confirming", "expired"]))
      expect(p.history[p.history.length - 1].status).toBe("expired")
      expect(p.paid_at).toBeNull()
      expect(p.attention).toBeNull()

      // Funds arrive after all: the canceled order cannot take them, a person must look.
      await sim().pay(coingateOrderId, { kind: "full" })
      p = await waitFor("the flag", async () => {
        const res = await admin.get(`/admin/coingate/orders/${placed.id}`)
        return res.data.payments[0].attention ? res.data.payments[0] : null
      })
      expect(p.status).toBe("paid")
      expect(p.attention.reason).toBe("paid_after_cancellation")
      expect(p.attention.note).toContain("paid after cancellation")

      const cleared = await admin.post(`/admin/coingate/payments/${p.id}/clear-attention`)
      expect(cleared.status).toBe(200)
      expect(cleared.data.payment).toMatchObject({ id: p.id, attention: null, status: "paid" })
      ;({ data } = await admin.get(`/admin/coingate/orders/${placed.id}`))
      expect(data.payments[0].attention).toBeNull()

      const again = await admin.post(`/admin/coingate/payments/${p.id}/clear-attention`)
      expect(again.status).toBe(200)
      const missing = await admin.post("/admin/coingate/payments/cgpay_nope/clear-attention")
      expect(missing.status).toBe(404)
    })

    it("refresh re-reads CoinGate and applies what no callback told: the order gets captured", async () => {
      const { cart, session, coingateOrderId } = await checkout(12)
      await sim().setStatus(coingateOrderId, "confirming", { callback: false })
      const res = await completeCart(api, store, cart.id)
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("order")
      const orderId = res.data.order.id
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      expect((await orderOfCart(getContainer(), cart.id))!.captured).toBe(false)

      const before = await admin.get(`/admin/coingate/orders/${orderId}`)
      expect(before.status).toBe(200)
      expect(before.data.payments).toHaveLength(1)
      expect(before.data.payments[0].payment_session_id).toBe(session.id)
      expect(before.data.payments[0].status).not.toBe("paid")

      const refreshed = await admin.post(`/admin/coingate/orders/${orderId}/refresh`)
      expect(refreshed.status).toBe(200)
      expect(refreshed.data.refreshed).toEqual([{ payment_session_id: session.id, ok: true, status: "paid" }])
      const p = refreshed.data.payments[0]
      expect(p.status).toBe("paid")
      expect(p.medusa_state).toBe("captured")
      expect(p.history[p.history.length - 1]).toMatchObject({ status: "paid", source: "admin" })
      expect(p.last_callback_at).toBeNull()
      expect((await orderOfCart(getContainer(), cart.id))!.captured).toBe(true)

      // CoinGate down: the refresh says so, and still answers the view.
      sim().injectFault({ path: `/v2/orders/${coingateOrderId}`, kind: "503", times: Infinity })
      const failed = await admin.post(`/admin/coingate/orders/${orderId}/refresh`)
      expect(failed.status).toBe(200)
      expect(failed.data.refreshed[0]).toMatchObject({ payment_session_id: session.id, ok: false, error: expect.stringContaining("503") })
      expect(failed.data.payments[0].status).toBe("paid")
    })

    it("answers an empty list for an order paid otherwise, 404 for an unknown order, 400 for a malformed id", async () => {
      const cart = await createCart(getContainer(), store, 5)
      const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, { headers: store.headers })
      await api.post(`/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, { provider_id: SYSTEM }, { headers: store.headers })
      const done = await completeCart(api, store, cart.id)
      expect(done.data.type).toBe("order")

      const other = await admin.get(`/admin/coingate/orders/${done.data.order.id}`)
      expect(other.status).toBe(200)
      expect(other.data).toEqual({ order_id: done.data.order.id, payments: [] })
      const refreshed = await admin.post(`/admin/coingate/orders/${done.data.order.id}/refresh`)
      expect(refreshed.data).toEqual({ order_id: done.data.order.id, payments: [], refreshed: [] })

      expect((await admin.get("/admin/coingate/orders/order_01NOPE")).status).toBe(404)
      expect((await admin.post("/admin/coingate/orders/order_01NOPE/refresh")).status).toBe(404)
      const bad = await admin.get("/admin/coingate/orders/order%20x%3B")
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("order_id")
    })

    it("tests the connection: ok with the configured token, an error when CoinGate fails, 400/404 for bad input", async () => {
      const ok = await admin.post("/admin/coingate/settings/test-connection", { provider_id: COINGATE })
      expect(ok.status).toBe(200)
      expect(ok.data).toMatchObject({ provider_id: COINGATE, ok: true, sandbox: true, api_origin: sim().url })
      expect(ok.data.error).toBeUndefined()
      expect(sim().requestLog.some((r: any) => r.path === "/v2/auth/test" && r.status === 200)).toBe(true)

      sim().injectFault({ path: "/v2/auth/test", kind: "500", times: Infinity })
      const down = await admin.post("/admin/coingate/settings/test-connection", { provider_id: COINGATE })
      expect(down.status).toBe(200)
      expect(down.data).toMatchObject({ provider_id: COINGATE, ok: false, error: expect.stringContaining("500") })
      sim().clearFaults()

      const settings = await admin.get("/admin/coingate/settings")
      expect(settings.data.providers[0]).toMatchObject({ id: COINGATE, mode: "sandbox", last_callback_at: null })

      expect((await admin.post("/admin/coingate/settings/test-connection", {})).status).toBe(400)
      expect((await admin.post("/admin/coingate/settings/test-connection", { provider_id: SYSTEM })).status).toBe(400)
      expect((await admin.post("/admin/coingate/settings/test-connection", { provider_id: "pp_coingate_nope" })).status).toBe(404)
    })
  },
})
