import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { callbackTokenFor, deriveCallbackKey } from "../../src/coingate/callback-token"
import { adminHeaders, COIN, deliveredCallback, LEDGER, paidOrder, paymentNow, RefundSimulator, refundRecords } from "../helpers/refunds"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { recordOf, seedStore, Store, waitFor, adminClient } from "../helpers/store"

jest.setTimeout(180_000)

const { sim: simulator, backendUrl } = useSimulator({ log: !!process.env.SIM_LOG })
const sim = () => simulator() as RefundSimulator

/** Every admin answer this spec saw, to check that no callback token leaked into one. */
const seen: string[] = []

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }
    const admin = adminClient(api, () => headers, seen)
    const refundForm = (over: Record<string, unknown> = {}) => ({
      amount: "10.50",
      address: "bc1qshopperrefundaddress",
      ...COIN.BTC,
      reason: "Item arrived broken",
      method: "refund",
      ...over,
    })
    /** Where a refund's callbacks go, as the plugin gave it to CoinGate. */
    const callbackUrlOf = (refundId: number) => sim().getRefund(refundId).callback_url as string
    const postCallback = (url: string, body: Record<string, unknown>) => api.post(url.replace(backendUrl(), ""), body, { validateStatus: () => true })
    const summaryOf = async (orderId: string) => (await admin.get(`/admin/orders/${orderId}?fields=id,summary`)).data.order.summary

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api)
      sim().clearFaults()
    })

    afterAll(() => {
      const tokens = sim().listRefunds().filter((r: any) => r.callback_url).map((r: any) => String(r.callback_url).split("/").pop())
      const secrets = [SIM_TOKEN, ...tokens].filter(Boolean)
      expect(tokens.length).toBeGreaterThan(3)
      expect(seen.length).toBeGreaterThan(5)
      for (const body of seen) for (const secret of secrets) expect(body).not.toContain(secret)
    })

    it("refunds an order in full: Medusa's totals, a CoinGate refund with a callback URL, pending -> processing -> completed, order refunded", async () => {
      const container = getContainer()
      const { order, coingateOrderId, payment } = await paidOrder(container, api, store, sim())

      const options = await admin.get(`/admin/coingate/refund-options?order_id=${order.id}`)
      expect(options.status).toBe(200)
      expect(options.data.default_ledger_account_id).toBe(LEDGER.EUR)
      expect(options.data.currencies.find((c: any) => c.symbol === "USDT").platforms.map((p: any) => p.title)).toEqual(["Ethereum", "Tron"])
      expect(options.data.ledger_accounts.map((a: any) => a.currency)).toEqual(["EUR", "BTC", "USDT"])

      const res = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm())
      expect(res.status).toBe(200)
      expect(res.data.refund).toMatchObject({ kind: "refund", status: "pending", amount: "10.50", currency_code: "EUR", coin: "BTC", network: "Bitcoin", outcome: "open" })

      // Medusa: one refund of 10.50 on the payment, the order's totals say so.
      const stored = await paymentNow(container, payment.id)
      expect(stored.refunds).toHaveLength(1)
      expect(Number(stored.refunds[0].amount)).toBe(10.5)
      // The refund's state is the plugin's record, never the (public) payment data.
      expect(Object.keys(stored.data).filter((k) => /refund/.test(k))).toEqual([])
      expect((await refundRecords(container))[0]).toMatchObject({ medusa_refund_id: stored.refunds[0].id, coingate_id: res.data.refund.coingate_id })
      expect(await summaryOf(order.id)).toMatchObject({ paid_total: 10.5, refunded_total: 10.5 })

      // CoinGate: the refund as asked, with the order's email, the default ledger account and a tokenized callback URL.
      const remote = sim().getRefund(res.data.refund.coingate_id)
      expect(remote).toMatchObject({ order_id: coingateOrderId, request_amount: "10.5", email: "shopper@example.com", reason: "Item arrived broken", address: "bc1qshopperrefundaddress" })
      expect(remote.ledger_account.id).toBe(LEDGER.EUR)
      expect(remote.callback_url).toMatch(new RegExp(`^${backendUrl()}/hooks/coingate/refunds/[A-Za-z0-9_-]{43}$`))

      await sim().setRefundStatus(remote.id, "processing")
      await waitFor("processing", async () => (await refundRecords(container))[0]?.status === "processing")
      await sim().setRefundStatus(remote.id, "completed")
      const [done] = await waitFor("completed", async () => {
        const r = await refundRecords(container)
        return r[0]?.status === "completed" ? r : null
      })
      expect(done.snapshot.transactions[0]).toMatchObject({ status: "confirmed", txid: expect.stringMatching(/^[0-9a-f]{64}$/) })
      expect(done.history.map((h: any) => h.status)).toEqual(["pending", "processing", "completed"])
      expect(done.completed_at).toBeTruthy()

      // The order's own `refunded` callback is reconciled: the refund is Medusa's, nothing to flag.
      const record = await waitFor("order refunded", async () => {
        const r = await recordOf(container, coingateOrderId)
        return r?.status === "refunded" ? r : null
      })
      expect(record.attention).toBeNull()
      expect(record.medusa_state).toBe("captured")

      const view = await admin.get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data).toMatchObject({ currency_code: "EUR", payments: [{ captured: "10.50", refunded: "10.50", refundable: "0.00" }], manual_refunds: [] })
      expect(view.data.refunds[0]).toMatchObject({ status: "completed", outcome: "sent", snapshot: { refund_amount: "0.00021", refund_currency: "BTC" } })
      expect(JSON.stringify(view.data)).not.toContain("callback_url")
    })

    it("refunds part of an order: partially_refunded at CoinGate, Medusa's totals, what is left; refuses more than that", async () => {
      const container = getContainer()
      const { order, coingateOrderId, payment } = await paidOrder(container, api, store, sim(), 20)
      const res = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "7.25", ...COIN.USDT_TRON, address: "TXyzShopper", address_memo: "42" }))
      expect(res.status).toBe(200)
      expect(res.data.refund).toMatchObject({ amount: "7.25", coin: "USDT", network: "Tron", address_memo: "42" })
      expect(res.data.payments[0]).toMatchObject({ captured: "20.00", refunded: "7.25", refundable: "12.75" })
      expect(await summaryOf(order.id)).toMatchObject({ paid_total: 20, refunded_total: 7.25 })

      const tooMuch = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "12.76" }))
      expect(tooMuch.status).toBe(400)
      expect(tooMuch.data.message).toMatch(/more than what can still be refunded \(12.75 EUR\)/)
      const inexact = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "1.005" }))
      expect(inexact.status).toBe(400)

      await sim().setRefundStatus(res.data.refund.coingate_id, "completed")
      const record = await waitFor("partially refunded", async () => {
        const r = await recordOf(container, coingateOrderId)
        return r?.status === "partially_refunded" ? r : null
      })
      expect(record.attention).toBeNull()
      expect((await refundRecords(container))[0].status).toBe("completed")
      expect((await paymentNow(container, payment.id)).refunds).toHaveLength(1)
    })

    it("records a rejected refund with CoinGate's reason and flags it; CoinGate's refusals refund nothing", async () => {
      const container = getContainer()
      const { order, payment } = await paidOrder(container, api, store, sim())

      // CoinGate refuses (below 1 EUR): Medusa's refund row is dropped and the request cleared.
      const refused = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "0.50" }))
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/CoinGate refused the refund: Request amount must be higher than 1.0 EUR/)
      let stored = await paymentNow(container, payment.id)
      expect(stored.refunds).toHaveLength(0)
      expect(stored.data.coingate_refund_request ?? null).toBeNull()

      // CoinGate answers 503 to the refund request: it may have been made (issue 22), so the outcome is unknown (502
      // unknown_outcome, never "nothing was refunded"), Medusa records nothing yet, and its 2.00 stays reserved.
      sim().injectFault({ method: "POST", path: "/v2/orders/*", kind: "503", times: 1 })
      const down = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "2.00" }))
      expect(down.status).toBe(502)
      expect(down.data).toMatchObject({ type: "unknown_outcome", message: expect.not.stringMatching(/nothing was refunded/) })
      expect((await paymentNow(container, payment.id)).refunds).toHaveLength(0)

      const res = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "3.00", email: "other@example.com", ledger_account_id: LEDGER.USDT }))
      expect(res.status).toBe(200)
      const rid = res.data.refund.coingate_id
      expect(sim().getRefund(rid)).toMatchObject({ email: "other@example.com", ledger_account: { id: LEDGER.USDT } })
      await sim().setRefundStatus(rid, "rejected", { rejection_reason: "The shopper did not confirm the address in time." })
      const [rejected] = await waitFor("rejected", async () => {
        const r = await refundRecords(container)
        return r[0]?.status === "rejected" ? r : null
      })
      expect(rejected).toMatchObject({ rejection_reason: "The shopper did not confirm the address in time.", attention: "refund_rejected" })
      expect(rejected.attention_note).toMatch(/CoinGate rejected the refund of 3.00 EUR: The shopper did not confirm the address in time\./)

      // A late, stale callback cannot move a final refund back.
      await sim().sendRefundCallback(rid, { overrides: { status: "processing" } })
      const view = await admin.get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.refunds[0]).toMatchObject({ status: "rejected", outcome: "not_sent", rejection_reason: "The shopper did not confirm the address in time.", attention: { reason: "refund_rejected" } })
      stored = await paymentNow(container, payment.id)
      expect(stored.refunds).toHaveLength(1)
    })

    it("ignores forged refund callbacks: wrong token, crossed token, posted status the API denies; 400 for garbage, 503 until a refund is recorded", async () => {
      const container = getContainer()
      const a = await paidOrder(container, api, store, sim())
      const b = await paidOrder(container, api, store, sim())
      const ra = (await admin.post(`/admin/coingate/orders/${a.order.id}/refunds`, refundForm({ amount: "2.00" }))).data.refund
      const rb = (await admin.post(`/admin/coingate/orders/${b.order.id}/refunds`, refundForm({ amount: "2.00" }))).data.refund
      await deliveredCallback(sim(), `refund:${ra.coingate_id}`, "pending")
      const body = { id: ra.coingate_id, order_id: a.coingateOrderId, status: "completed", request_amount: "2.00" }
      const before = (await refundRecords(container, { id: ra.id }))[0]

      // The URL's token is not derived from this refund (another refund's token, a made-up one, the order's token).
      // (the last: an order-callback token derived from the same reference; kinds do not cross)
      const orderToken = callbackTokenFor(deriveCallbackKey({ apiToken: SIM_TOKEN }), before.intent_id)
      for (const url of [callbackUrlOf(Number(rb.coingate_id)), `${backendUrl()}/hooks/coingate/refunds/${"A".repeat(43)}`, `${backendUrl()}/hooks/coingate/refunds/${orderToken}`]) {
        const res = await postCallback(url, body)
        expect(res.status).toBe(200)
        expect(res.data.ignored).toBe("not verified")
      }
      // The right token, but CoinGate's API says pending: the posted "completed" is not believed.
      const right = await postCallback(callbackUrlOf(Number(ra.coingate_id)), body)
      expect(right.status).toBe(200)
      expect(right.data.status).toBe("pending")
      // Not a refund callback at all; a refund of one of our orders the plugin does not know yet.
      expect((await postCallback(callbackUrlOf(Number(ra.coingate_id)), { hello: "world" })).status).toBe(400)
      const unknown = await postCallback(callbackUrlOf(Number(ra.coingate_id)), { ...body, id: 987654 })
      expect(unknown.status).toBe(503)
      const foreign = await postCallback(callbackUrlOf(Number(ra.coingate_id)), { ...body, id: 987654, order_id: 123 })
      expect(foreign.status).toBe(200)
      // JSON, as CoinGate sends when the API app is set to JSON.
      const json = await api.post(callbackUrlOf(Number(ra.coingate_id)).replace(backendUrl(), ""), JSON.stringify(body), { headers: { "content-type": "application/json" }, validateStatus: () => true })
      expect(json.data.status).toBe("pending")

      const after = (await refundRecords(container, { id: ra.id }))[0]
      expect(after.status).toBe("pending")
      expect(after.history).toEqual(before.history)
      expect(sim().getRefund(ra.coingate_id).status).toBe("pending")
    })

    it("never crashes when Medusa refunds on its own (order canceled after capture): a manual refund to make, nothing sent to CoinGate", async () => {
      const container = getContainer()
      const { order, payment } = await paidOrder(container, api, store, sim())
      const refundsBefore = sim().listRefunds().length
      await cancelOrderWorkflow(container).run({ input: { order_id: order.id } })

      const stored = await paymentNow(container, payment.id)
      expect(stored.refunds).toHaveLength(1)
      expect(stored.data).not.toHaveProperty("coingate_manual_refunds")
      expect(sim().listRefunds()).toHaveLength(refundsBefore)
      const view = await admin.get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.manual_refunds).toEqual([
        expect.objectContaining({ medusa_refund_id: stored.refunds[0].id, amount: "10.50", currency_code: "EUR", payment_id: payment.id, note: expect.stringMatching(/CoinGate dashboard/) }),
      ])
      expect(view.data.refunds).toEqual([])

      // The merchant pays it through CoinGate from the card: no second Medusa refund, the manual one is settled.
      const manualId = stored.refunds[0].id
      const wrong = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "5.00", manual_refund_id: manualId }))
      expect(wrong.status).toBe(400)
      expect(wrong.data.message).toMatch(/amount must be the refund's: 10.50 EUR/)
      const paid = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ manual_refund_id: manualId }))
      expect(paid.status).toBe(200)
      expect(paid.data.refund).toMatchObject({ medusa_refund_id: manualId, kind: "refund", status: "pending", amount: "10.50" })
      expect(paid.data.manual_refunds[0].settled_by).toBe(`refund ${paid.data.refund.coingate_id}`)
      expect((await paymentNow(container, payment.id)).refunds).toHaveLength(1)
      expect(sim().getRefund(paid.data.refund.coingate_id).callback_url).toMatch(/\/hooks\/coingate\/refunds\//)
      await sim().setRefundStatus(paid.data.refund.coingate_id, "completed")
      await waitFor("the manual refund paid", async () => (await refundRecords(container, { medusa_refund_id: manualId }))[0]?.status === "completed")
      const again = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ manual_refund_id: manualId }))
      expect(again.status).toBe(400)
      expect(again.data.message).toMatch(/already paid through CoinGate/)

      // Medusa's own refund route (the admin's standard Refund button) behaves the same.
      const other = await paidOrder(container, api, store, sim())
      const standard = await api.post(`/admin/payments/${other.payment.id}/refund`, { amount: 4 }, { headers, validateStatus: () => true })
      expect(standard.status).toBe(200)
      expect((await admin.get(`/admin/coingate/orders/${other.order.id}/refunds`)).data.manual_refunds).toEqual([expect.objectContaining({ amount: "4.00" })])
    })

    it("flags refunds made outside Medusa (in the CoinGate dashboard) when CoinGate's order callback reports them", async () => {
      const container = getContainer()
      const { coingateOrderId } = await paidOrder(container, api, store, sim())
      const http = (await import("axios")).default.create({ baseURL: sim().url, headers: { Authorization: `Token ${SIM_TOKEN}` }, validateStatus: () => true })
      const made = await http.post(`/v2/orders/${coingateOrderId}/refunds`, { ...refundForm({ amount: "4.00" }), email: "shopper@example.com", ledger_account_id: LEDGER.EUR })
      expect(made.status).toBe(200)
      await sim().setRefundStatus(made.data.id, "completed")
      const record = await waitFor("flagged", async () => {
        const r = await recordOf(container, coingateOrderId)
        return r?.attention === "refund_outside_medusa" ? r : null
      })
      expect(record.status).toBe("partially_refunded")
      expect(record.attention_note).toContain(`#${made.data.id} (4.00 EUR) completed`)
    })

    it("requires an admin login for the refund routes", async () => {
      const anonymous = { validateStatus: () => true }
      const calls = [
        api.get("/admin/coingate/orders/order_1/refunds", anonymous),
        api.post("/admin/coingate/orders/order_1/refunds", refundForm(), anonymous),
        api.post("/admin/coingate/orders/order_1/refunds/refresh", {}, anonymous),
        api.get("/admin/coingate/refund-options", anonymous),
      ]
      for (const res of await Promise.all(calls)) expect(res.status).toBe(401)
      expect((await admin.get("/admin/coingate/orders/order_missing/refunds")).status).toBe(404)
    })
  },
})
