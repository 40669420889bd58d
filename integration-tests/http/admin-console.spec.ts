import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { coingateGateway } from "../../src/gateway/index"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { adminClient, COINGATE, createCart, orderOfCart, recordOf, seedStore, sessionById, startCoinGatePayment, Store, waitFor } from "../helpers/store"
import { adminHeaders } from "../helpers/admin"
import { insertRecords, RECORD_TOKEN } from "../helpers/console"

jest.setTimeout(180_000)

// The operations console's API (docs/admin.md): the list, search, detail and refresh on records made by
// real checkouts through the simulator, and the validation of its query parameters.
const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/** Every answer of the console seen here, to check that no secret is in any of them. */
const seen: string[] = []

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }
    const admin = adminClient(api, () => headers, seen)

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api, "console-admin@example.com")
      sim().clearFaults()
    })

    afterAll(() => {
      const secrets = [SIM_TOKEN, RECORD_TOKEN, ...sim().listOrders().map((o: any) => o.token)].filter(Boolean)
      expect(seen.length).toBeGreaterThan(10)
      for (const body of seen) for (const secret of secrets) expect(body).not.toContain(secret)
    })

    const displayIdOf = async (orderId: string) => {
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["display_id"], filters: { id: orderId } })
      return data[0].display_id as number
    }

    it("requires an admin login for every console route", async () => {
      const anonymous = { validateStatus: () => true }
      const calls = [
        api.get("/admin/coingate/payments", anonymous),
        api.get("/admin/coingate/payments?attention=true", anonymous),
        api.get("/admin/coingate/payments/cgpay_123", anonymous),
        api.post("/admin/coingate/payments/cgpay_123/refresh", {}, anonymous),
        api.get("/admin/coingate/payments/totals", anonymous),
        api.get("/admin/coingate/payments/export", anonymous),
      ]
      for (const res of await Promise.all(calls)) expect(res.status).toBe(401)
    })

    it("lists a paid checkout with its columns filled by the apply path, finds it by each search key, and shows its detail", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      await sim().pay(coingateOrderId, { kind: "full", payCurrency: "BTC" })
      const order = await waitFor("the order", () => orderOfCart(getContainer(), cart.id).then((o) => (o?.captured ? o : null)), { timeoutMs: 20_000 })
      const displayId = await displayIdOf(order.id)
      const remote = sim().getOrder(coingateOrderId)

      // saveRecord copied the CoinGate and Medusa facts into the record's columns.
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record).toMatchObject({ price_currency: "EUR", pay_currency: "BTC", email: "shopper@example.com", order_display_id: displayId, order_id: order.id })
      expect(record.raw_price_amount.value).toBe("10.5")
      expect(record.raw_pay_amount.value).toBe(remote.pay_amount)

      const res = await admin.get("/admin/coingate/payments")
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({ count: 1, limit: 20, offset: 0, attention_count: 0 })
      const row = res.data.payments[0]
      expect(row).toEqual({
        id: record.id,
        coingate_order_id: String(coingateOrderId),
        dashboard_url: remote.payment_url, // the simulator has no dashboard: its invoice page
        payment_session_id: session.id,
        provider_id: "pp_coingate_coingate",
        cart_id: cart.id,
        email: "shopper@example.com",
        order_id: order.id,
        order_display_id: displayId,
        status: "paid",
        medusa_state: "captured",
        price_amount: "10.50",
        price_currency: "EUR",
        pay_amount: remote.pay_amount,
        pay_currency: "BTC",
        underpaid_amount: null,
        overpaid_amount: null,
        attention: null,
        last_callback_at: expect.any(String),
        last_synced_at: expect.any(String),
        created_at: expect.any(String),
      })

      for (const q of [String(coingateOrderId), String(displayId), `%23${displayId}`, cart.id, "SHOPPER@example.COM"]) {
        const found = await admin.get(`/admin/coingate/payments?q=${q}`)
        expect([q, found.status, found.data.payments.map((p: any) => p.id)]).toEqual([q, 200, [record.id]])
      }
      for (const q of ["999999", "cart_nope", "other@example.com", "shopper@example"]) {
        const none = await admin.get(`/admin/coingate/payments?q=${encodeURIComponent(q)}`)
        expect([q, none.status, none.data.count]).toEqual([q, 200, 0])
      }

      const detail = await admin.get(`/admin/coingate/payments/${record.id}`)
      expect(detail.status).toBe(200)
      expect(detail.data.payment).toMatchObject({
        id: record.id,
        payment_session_id: session.id,
        session_status: "authorized",
        cart_id: cart.id,
        email: "shopper@example.com",
        order_id: order.id,
        order_display_id: displayId,
        status: "paid",
        price_amount: "10.50",
        dashboard_url: remote.payment_url,
      })
      expect(detail.data.payment.history.map((h: any) => h.status)).toContain("paid")
      expect(detail.data.payment).not.toHaveProperty("snapshot")
      expect((await admin.get("/admin/coingate/payments/cgpay_nope")).status).toBe(404)
      expect((await admin.get("/admin/coingate/payments/bad%20id")).status).toBe(400)
    })

    it("lists an invoice paid for a replaced checkout (no order) in the attention queue, and refreshes it", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      const { data } = await api.get(`/store/carts/${cart.id}`, { headers: store.headers })
      await api.post(`/store/carts/${cart.id}/line-items/${data.cart.items[0].id}`, { quantity: 2 }, { headers: store.headers })
      expect(await sessionById(getContainer(), session.id)).toBeNull()
      await sim().pay(coingateOrderId) // the old invoice, paid anyway
      const record = await waitFor("the orphaned record", () => recordOf(getContainer(), coingateOrderId).then((r) => (r?.attention ? r : null)))
      expect(record).toMatchObject({ attention: "paid_for_replaced_session", order_id: null, medusa_state: "orphaned" })
      await insertRecords(getContainer(), [{ status: "expired", medusa_state: "canceled" }]) // not flagged

      const queue = await admin.get("/admin/coingate/payments?attention=true")
      expect(queue.status).toBe(200)
      expect(queue.data).toMatchObject({ count: 1, attention_count: 1 })
      expect(queue.data.payments[0]).toMatchObject({
        id: record.id,
        order_id: null,
        order_display_id: null,
        status: "paid",
        medusa_state: "orphaned",
        attention: { reason: "paid_for_replaced_session", note: expect.stringContaining(session.id) },
      })
      const unflagged = await admin.get("/admin/coingate/payments?attention=false")
      expect(unflagged.data).toMatchObject({ count: 1, attention_count: 1 })
      expect(unflagged.data.payments[0].attention).toBeNull()

      // Refresh: the record names its CoinGate order although Medusa deleted the session.
      await sim().setStatus(coingateOrderId, "refunded", { callback: false })
      const refreshed = await admin.post(`/admin/coingate/payments/${record.id}/refresh`)
      expect(refreshed.status).toBe(200)
      expect(refreshed.data.refreshed).toEqual({ ok: true, status: "refunded" })
      expect(refreshed.data.payment).toMatchObject({ id: record.id, status: "refunded", order_id: null, session_status: null })
      expect(refreshed.data.payment.history[refreshed.data.payment.history.length - 1]).toMatchObject({ status: "refunded", source: "admin" })
      // The flag stays until a person clears it; the list shows the new status.
      const after = await admin.get("/admin/coingate/payments?attention=true")
      expect(after.data.payments[0]).toMatchObject({ status: "refunded", attention: { reason: "paid_for_replaced_session" } })

      // CoinGate down: said in `refreshed`, and the record as it was.
      sim().injectFault({ path: `/v2/orders/${coingateOrderId}`, kind: "503", times: Infinity })
      const failed = await admin.post(`/admin/coingate/payments/${record.id}/refresh`)
      expect(failed.status).toBe(200)
      expect(failed.data.refreshed).toMatchObject({ ok: false, error: expect.stringContaining("503") })
      expect(failed.data.payment.status).toBe("refunded")

      // Marked handled: out of the queue.
      expect((await admin.post(`/admin/coingate/payments/${record.id}/clear-attention`)).status).toBe(200)
      expect((await admin.get("/admin/coingate/payments?attention=true")).data).toMatchObject({ count: 0, attention_count: 0 })
      expect((await admin.post("/admin/coingate/payments/cgpay_nope/refresh")).status).toBe(404)
    })

    it("refreshes the record's own invoice, not the newer one its payment session names since", async () => {
      const cart = await createCart(getContainer(), store, 8)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      await sim().chooseCoin(coingateOrderId, "BTC") // a callback: the record of the first invoice
      const first = await waitFor("the first record", () => recordOf(getContainer(), coingateOrderId))
      // A new price makes a new invoice for the same session (the provider's updatePayment).
      const newer = await coingateGateway(getContainer(), COINGATE).createOrder(session.id, 8, "eur", {})
      const payment = getContainer().resolve(Modules.PAYMENT)
      const [current] = await payment.listPaymentSessions({ id: session.id })
      await payment.updatePaymentSession({
        id: session.id,
        amount: current.amount,
        currency_code: current.currency_code,
        data: { ...current.data, coingate_order_id: newer.id, payment_url: newer.payment_url },
      })
      await sim().setStatus(coingateOrderId, "expired", { callback: false })

      const res = await admin.post(`/admin/coingate/payments/${first.id}/refresh`)
      expect(res.status).toBe(200)
      expect(res.data.refreshed).toEqual({ ok: true, status: "expired" })
      expect(res.data.payment).toMatchObject({ id: first.id, coingate_order_id: String(coingateOrderId), status: "expired" })
      expect(await recordOf(getContainer(), newer.id)).toBeNull()
    })

    it("refuses unknown, malformed and out-of-bounds query parameters with a 400 naming them", async () => {
      await insertRecords(getContainer(), [{}])
      const cases: [string, RegExp][] = [
        ["/admin/coingate/payments?colour=red", /colour/],
        ["/admin/coingate/payments?limit=500", /limit/],
        ["/admin/coingate/payments?limit=0", /limit/],
        ["/admin/coingate/payments?offset=-1", /offset/],
        ["/admin/coingate/payments?attention=maybe", /attention/],
        ["/admin/coingate/payments?status=paid,shipped", /status/],
        ["/admin/coingate/payments?medusa_state=lost", /medusa_state/],
        ["/admin/coingate/payments?created_from=last-week", /created_from/],
        ["/admin/coingate/payments?created_from=2026-02-31", /created_from/],
        ["/admin/coingate/payments?created_from=2025-01-01&created_to=2026-06-01", /366 days/],
        ["/admin/coingate/payments?price_currency=%27%3Bdrop", /price_currency/],
        ["/admin/coingate/payments?status=paid&status=expired", /status/],
        ["/admin/coingate/payments?q[$ne]=x", /q/],
        ["/admin/coingate/payments/totals?limit=10", /limit/],
        ["/admin/coingate/payments/totals?created_from=2024-01-01", /366 days/],
        ["/admin/coingate/payments/totals?sort=amount", /sort/],
        ["/admin/coingate/payments/export?offset=5", /offset/],
        ["/admin/coingate/payments/export?created_to=tomorrow", /created_to/],
      ]
      for (const [url, message] of cases) {
        const res = await admin.get(url)
        expect([url, res.status]).toEqual([url, 400])
        expect([url, res.data.message]).toEqual([url, expect.stringMatching(message)])
      }
      expect((await admin.get("/admin/coingate/payments?limit=100&offset=0")).status).toBe(200)
    })
  },
})
