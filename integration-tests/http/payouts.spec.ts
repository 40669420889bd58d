import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { coingateGateway } from "../../src/gateway/index"
import { adminHeaders, COIN, deliveredCallback, LEDGER, paidOrder, RefundSimulator, refundRecords } from "../helpers/refunds"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { COINGATE, seedStore, Store, waitFor } from "../helpers/store"

jest.setTimeout(180_000)

const { sim: simulator, backendUrl } = useSimulator({ log: !!process.env.SIM_LOG })
const sim = () => simulator() as RefundSimulator

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }
    const post = (url: string, body: unknown = {}) => api.post(url, body, { headers, validateStatus: () => true })
    const get = (url: string) => api.get(url, { headers, validateStatus: () => true })
    // Each call is a payout of its own: its own idempotency key (the same form sent twice is one payout).
    let forms = 0
    const payoutForm = (over: Record<string, unknown> = {}) => ({
      idempotency_key: `payout_form_${++forms}_${Date.now()}`,
      amount: "2.00",
      address: "bc1qshopperpayoutaddress",
      ...COIN.BTC,
      reason: "Refund by payout",
      method: "payout",
      ledger_account_id: LEDGER.BTC,
      ...over,
    })
    const recordOfPayout = async (id: string) => (await refundRecords(getContainer(), { id }))[0]
    const untilStatus = (id: string, status: string) =>
      waitFor(`payout ${id} ${status}`, async () => {
        const r = await recordOfPayout(id)
        return r?.status === status ? r : null
      })
    /** Switches the provider's autoConfirmPayoutExchange option (a store sets it in medusa-config). */
    const setAutoConfirm = (on: boolean) => {
      ;((coingateGateway(getContainer(), COINGATE).refunds as any).deps.options as { autoConfirmPayoutExchange: boolean }).autoConfirmPayoutExchange = on
    }
    const postCallback = (url: string, body: Record<string, unknown>) => api.post(url.replace(backendUrl(), ""), body, { validateStatus: () => true })

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api)
      sim().clearFaults()
      sim().setPayoutOptions({ payout2fa: false, payoutExchange: "auto" })
      setAutoConfirm(false)
    })

    it("pays a refund out from a ledger account in the coin: beneficiary from the order, external_id = the admin intent, in_progress -> processing -> completed", async () => {
      const { order, payment } = await paidOrder(getContainer(), api, store, sim())
      const res = await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm({ amount: "4.00", address_memo: "tag-7" }))
      expect(res.status).toBe(200)
      const payout = res.data.refund
      expect(payout).toMatchObject({ kind: "payout", status: "in_progress", amount: "4.00", coin: "BTC", network: "Bitcoin", outcome: "open", requires_2fa_confirmation: false })
      expect(res.data.payments[0]).toMatchObject({ refunded: "4.00", refundable: "6.50" })

      const remote = sim().getSendRequest(payout.coingate_id)
      // external_id = the admin intent's id (issue 22: how a send request whose answer was lost is found again).
      const [stored] = await refundRecords(getContainer(), { id: payout.id })
      expect(remote.external_id).toBe(stored.intent_id)
      expect(stored.medusa_refund_id).toBe(payout.medusa_refund_id)
      expect(remote.external_id.length).toBeLessThanOrEqual(50)
      expect(remote.callback_url).toMatch(new RegExp(`^${backendUrl()}/hooks/coingate/send-requests/[A-Za-z0-9_-]{43}$`))
      expect(remote).toMatchObject({ input_amount: "4.0", input_currency: { symbol: "EUR" }, ledger_account_id: LEDGER.BTC })
      expect(remote.beneficiary_payout_setting).toMatchObject({ crypto_address: "bc1qshopperpayoutaddress", crypto_address_metadata: "tag-7" })
      const beneficiary = (sim() as any).payouts.beneficiaries.get(remote.beneficiary_payout_setting.beneficiary_id)
      expect(beneficiary).toMatchObject({ beneficiary_type: "person", first_name: "Ada", last_name: "Shopper", country: "LT", email: "shopper@example.com" })

      await sim().setSendRequestStatus(payout.coingate_id, "processing")
      await untilStatus(payout.id, "processing")
      await sim().setSendRequestStatus(payout.coingate_id, "completed")
      const done = await untilStatus(payout.id, "completed")
      expect(done.snapshot).toMatchObject({
        input_amount: "4.0",
        sending_amount: "0.00008",
        sending_currency: "BTC",
        input_to_sending_rate: "0.00002",
        balance_debit_currency: "BTC",
        fees: { service_fee: { currency: "BTC" } },
        blockchain_transactions: [{ status: "confirmed", confirmations: 3 }],
        requires_2fa_confirmation: false,
        actions_required: null,
      })
      expect(done.history.map((h: any) => h.status)).toEqual(["in_progress", "processing", "completed"])
      expect(done.attention).toBeNull()
      expect(done.payment_id).toBe(payment.id)
      const view = await get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.refunds[0]).toMatchObject({ kind: "payout", status: "completed", outcome: "sent" })
      expect(JSON.stringify(view.data)).not.toContain(String(remote.callback_url).split("/").pop())
    })

    it("follows every send-request status: draft awaiting 2FA, in_progress, processing, completed, failed, expired, canceled", async () => {
      const { order } = await paidOrder(getContainer(), api, store, sim(), 20)
      sim().setPayoutOptions({ payout2fa: true })
      const created: any[] = []
      for (let i = 0; i < 4; i++) {
        const res = await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm({ beneficiary: { first_name: "Grace", last_name: "Hopper", country: "US" } }))
        expect(res.status).toBe(200)
        created.push(res.data.refund)
      }
      const [a, b, c, d] = created
      expect(a).toMatchObject({ status: "draft", requires_2fa_confirmation: true, outcome: "open" })
      const view = await get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.refunds.every((r: any) => r.requires_2fa_confirmation)).toBe(true)
      expect(view.data.payments[0]).toMatchObject({ refunded: "8.00", refundable: "12.00" })

      // a: the merchant confirms with 2FA in the dashboard; then CoinGate sends it.
      for (const status of ["in_progress", "processing", "completed"]) {
        await sim().setSendRequestStatus(a.coingate_id, status)
        await untilStatus(a.id, status)
      }
      expect((await recordOfPayout(a.id)).snapshot.requires_2fa_confirmation).toBe(false)

      // b, c, d end without sending anything: each flagged for the merchant, with why.
      await sim().setSendRequestStatus(b.coingate_id, "in_progress")
      await sim().setSendRequestStatus(b.coingate_id, "failed")
      await sim().setSendRequestStatus(c.coingate_id, "expired")
      await sim().setSendRequestStatus(d.coingate_id, "in_progress")
      await sim().setSendRequestStatus(d.coingate_id, "canceled")
      const failed = await untilStatus(b.id, "failed")
      const expired = await untilStatus(c.id, "expired")
      const canceled = await untilStatus(d.id, "canceled")
      expect(failed).toMatchObject({ attention: "payout_not_sent", attention_note: expect.stringMatching(/ended failed: the network rejected/) })
      expect(expired.attention_note).toMatch(/ended expired: it was not confirmed in time/)
      expect(canceled.attention_note).toMatch(/ended canceled: CoinGate canceled it \(compliance\)/)
      expect(failed.snapshot.blockchain_transactions[0].status).toBe("failed")

      // Final statuses stay final, whatever a late callback says.
      await sim().sendSendRequestCallback(b.coingate_id, { overrides: { status: "processing" } })
      await sim().setSendRequestStatus(b.coingate_id, "processing")
      await deliveredCallback(sim(), `send_request:${b.coingate_id}`, "processing")
      expect((await recordOfPayout(b.id)).status).toBe("failed")
      const outcomes = (await get(`/admin/coingate/orders/${order.id}/refunds`)).data.refunds.map((r: any) => `${r.status}:${r.outcome}`)
      expect(outcomes).toEqual(["completed:sent", "failed:not_sent", "expired:not_sent", "canceled:not_sent"])
    })

    it("cancels a currency exchange CoinGate asks to confirm when autoConfirmPayoutExchange is off, and says why", async () => {
      const { order } = await paidOrder(getContainer(), api, store, sim())
      // The default ledger account is the EUR one (the order's settlement currency): BTC must be bought.
      const res = await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm({ ledger_account_id: undefined }))
      expect(res.status).toBe(200)
      const payout = res.data.refund
      expect(payout).toMatchObject({ status: "canceled", outcome: "not_sent", attention: { reason: "payout_not_sent" } })
      expect(payout.attention.note).toMatch(/autoConfirmPayoutExchange is off, so the plugin canceled it/)
      expect(payout.history.some((h: any) => /canceled it/.test(h.note ?? ""))).toBe(true)
      expect(sim().getSendRequest(payout.coingate_id)).toMatchObject({ status: "canceled", ledger_account_id: LEDGER.EUR, actions_required: null })
      expect(sim().requestLog.some((r: any) => r.method === "PATCH" && r.path === `/v2/send_requests/${payout.coingate_id}/cancel`)).toBe(true)
      // The creation callback comes back draft with the exchange still asked: it is not believed over the API.
      await deliveredCallback(sim(), `send_request:${payout.coingate_id}`)
      expect((await recordOfPayout(payout.id)).status).toBe("canceled")
    })

    it("confirms the exchange automatically when autoConfirmPayoutExchange is on", async () => {
      setAutoConfirm(true)
      const { order } = await paidOrder(getContainer(), api, store, sim())
      const res = await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm({ ledger_account_id: LEDGER.EUR }))
      expect(res.status).toBe(200)
      const payout = res.data.refund
      expect(payout).toMatchObject({ status: "in_progress", attention: null })
      expect(payout.history.map((h: any) => h.note).filter(Boolean)).toEqual(["The currency exchange was confirmed automatically (autoConfirmPayoutExchange)."])
      expect(payout.snapshot).toMatchObject({ balance_debit_currency: "EUR", sending_currency: "BTC", fees: { conversion_fee: { currency: "EUR" } }, actions_required: null })
      expect(sim().getSendRequest(payout.coingate_id).exchange_confirmed_at).toBeTruthy()
    })

    it("answers an exchange from the callback when the first answer failed", async () => {
      const { order } = await paidOrder(getContainer(), api, store, sim())
      sim().injectFault({ method: "PATCH", path: "/v2/send_requests/*", kind: "500", times: 1 })
      const res = await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm({ ledger_account_id: LEDGER.EUR }))
      expect(res.status).toBe(200)
      const payout = res.data.refund
      // Recorded draft with the exchange unanswered (or already canceled, if CoinGate's callback came first).
      const first = (await refundRecords(getContainer(), { id: payout.id }))[0]
      expect(first.history[0].status).toBe("draft")
      expect(first.history.some((h: any) => /Could not cancel the exchange/.test(h.note ?? ""))).toBe(true)
      // CoinGate's creation callback (retried until the payout is recorded) gets the exchange answered.
      const canceled = await untilStatus(payout.id, "canceled")
      expect(canceled.attention).toBe("payout_not_sent")
      expect(sim().getSendRequest(payout.coingate_id).status).toBe("canceled")
    })

    it("ignores forged payout callbacks: wrong or crossed token, posted status or external_id the API denies; 400 for garbage", async () => {
      const { order } = await paidOrder(getContainer(), api, store, sim(), 20)
      const a = (await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm())).data.refund
      const b = (await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm())).data.refund
      await deliveredCallback(sim(), `send_request:${a.coingate_id}`, "in_progress")
      const urlA = sim().getSendRequest(a.coingate_id).callback_url
      const urlB = sim().getSendRequest(b.coingate_id).callback_url
      const body = { id: a.coingate_id, status: "completed", external_id: a.medusa_refund_id }
      const before = await recordOfPayout(a.id)

      for (const [url, payload] of [
        [urlB, body],
        [`${backendUrl()}/hooks/coingate/send-requests/${"B".repeat(43)}`, body],
        [urlB, { ...body, external_id: b.medusa_refund_id }],
        [urlA.replace("/send-requests/", "/refunds/"), { ...body, order_id: 1 }],
      ] as const) {
        const res = await postCallback(url, payload)
        expect(res.status).toBe(200)
        expect(res.data.ok).toBe(true)
        expect(res.data.status).toBeUndefined()
      }
      const right = await postCallback(urlA, body)
      expect(right.status).toBe(200)
      expect(right.data.status).toBe("in_progress")
      expect((await postCallback(urlA, { status: "completed" })).status).toBe(400)
      const json = await api.post(urlA.replace(backendUrl(), ""), JSON.stringify(body), { headers: { "content-type": "application/json" }, validateStatus: () => true })
      expect(json.data.status).toBe("in_progress")

      const after = await recordOfPayout(a.id)
      expect(after.status).toBe("in_progress")
      expect(after.history).toEqual(before.history)
      expect(JSON.stringify(after)).not.toContain(SIM_TOKEN)
    })
  },
})
