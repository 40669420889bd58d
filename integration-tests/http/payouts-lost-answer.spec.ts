import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, ageIntent, centsOutAtCoinGate, COIN, LEDGER, paidOrder, RefundSimulator, refundIntents, refundRecords } from "../helpers/refunds"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { seedStore, Store } from "../helpers/store"

/**
 * Issue 22, finding 2: CoinGate makes the send request and its answer is lost. CoinGate has no per-order
 * cap on send requests, so only the plugin stands between a retried form and a second payout. The
 * send request is found again by its external_id (the intent's id).
 */

jest.setTimeout(180_000)

const { sim: simulator } = useSimulator({ log: !!process.env.SIM_LOG })
const sim = () => simulator() as RefundSimulator

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }
    const post = (url: string, body: unknown = {}) => api.post(url, body, { headers, validateStatus: () => true })
    const payoutForm = (over: Record<string, unknown> = {}) => ({
      idempotency_key: `payout_lost_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`,
      amount: "10.50",
      address: "bc1qshopperpayoutaddress",
      ...COIN.BTC,
      reason: "Refund by payout",
      method: "payout",
      ledger_account_id: LEDGER.BTC,
      ...over,
    })

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api)
      sim().clearFaults()
      sim().setPayoutOptions({ payout2fa: false, payoutExchange: "auto" })
    })

    it("a payout whose answer is lost (502 after) is never paid twice for the same form, and is found by external_id", async () => {
      const container = getContainer()
      const { order, coingateOrderId, payment } = await paidOrder(container, api, store, sim())
      const form = payoutForm()
      sim().injectFault({ method: "POST", path: "/v2/send_requests", kind: "502_after" } as any)
      const lost = await post(`/admin/coingate/orders/${order.id}/refunds`, form)
      expect(lost.status).not.toBe(200)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, cents: 1050 })

      // The same form again: never 2 x 10.50 on 10.50 captured.
      const again = await post(`/admin/coingate/orders/${order.id}/refunds`, form)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, cents: 1050 })
      expect([200, 409]).toContain(again.status)
      expect(lost.data.message).not.toMatch(/nothing was refunded/i)
      const [intent] = await refundIntents(container, { payment_id: payment.id })

      const checked = await post(`/admin/coingate/orders/${order.id}/refunds/check`)
      expect(checked.status).toBe(200)
      const remote = sim().listSendRequests().find((r: any) => String(r.purpose).includes(`CoinGate order ${coingateOrderId}`))
      expect(remote.external_id).toBe(intent.id)
      expect(checked.data.refunds).toEqual([expect.objectContaining({ kind: "payout", amount: "10.50", coingate_id: String(remote.id) })])
      expect(checked.data.refunds[0].history.map((h: any) => h.note ?? "").join(" ")).toMatch(/made at CoinGate: 10\.50 EUR on .*, recorded now/)
      expect(checked.data.payments[0]).toMatchObject({ refunded: "10.50", refundable: "0.00" })
      expect(await refundRecords(container, { payment_id: payment.id })).toHaveLength(1)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, cents: 1050 })
    })

    it("a reset after the send request was made, and a send request never made (reset before CoinGate): found, and released only after the grace period", async () => {
      const container = getContainer()
      const { order, coingateOrderId, payment } = await paidOrder(container, api, store, sim())
      sim().injectFault({ method: "POST", path: "/v2/send_requests", kind: "reset_after" } as any)
      const reset = await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm({ amount: "4.00" }))
      expect(reset.status).not.toBe(200)
      sim().injectFault({ method: "POST", path: "/v2/send_requests", kind: "drop" } as any)
      const dropped = await post(`/admin/coingate/orders/${order.id}/refunds`, payoutForm({ amount: "6.50" }))
      expect(dropped.status).not.toBe(200)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, cents: 400 })

      const checked = await post(`/admin/coingate/orders/${order.id}/refunds/check`)
      expect(checked.data.refunds.map((r: any) => r.amount)).toEqual(["4.00"])
      expect(checked.data.intents).toEqual([expect.objectContaining({ kind: "payout", state: "unknown", amount: "6.50" })])
      expect(checked.data.payments[0].refundable).toBe("0.00")

      const unknown = (await refundIntents(container, { payment_id: payment.id })).find((i) => i.state === "unknown")
      await ageIntent(container, unknown.id, 11 * 60_000)
      const late = await post(`/admin/coingate/orders/${order.id}/refunds/check`)
      expect(late.data.intents ?? []).toEqual([])
      expect(late.data.payments[0].refundable).toBe("6.50")
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, cents: 400 })
    })
  },
})
