import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, centsOutAtCoinGate, COIN, LEDGER, paidOrder, RefundSimulator } from "../helpers/refunds"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { seedStore, Store } from "../helpers/store"

/**
 * Issue 22, finding 3: an intent of unknown outcome (the connection dropped after CoinGate made the
 * payout) is money that may have left: the cap counts it, for payouts and refunds alike, and so does
 * the refundable amount the widget shows.
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
    const get = (url: string) => api.get(url, { headers, validateStatus: () => true })
    const form = (over: Record<string, unknown> = {}) => ({
      idempotency_key: `cap_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`,
      amount: "10.50",
      address: "bc1qshopperpayoutaddress",
      ...COIN.BTC,
      reason: "Refund",
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

    it("a payout of unknown outcome is reserved: the same form 409, a 10.49 payout or refund refused, the widget shows nothing refundable", async () => {
      const { order, coingateOrderId } = await paidOrder(getContainer(), api, store, sim())
      const first = form()
      sim().injectFault({ method: "POST", path: "/v2/send_requests", kind: "reset_after" } as any)
      expect((await post(`/admin/coingate/orders/${order.id}/refunds`, first)).status).not.toBe(200)

      // Resolution can find it only once it is readable: keep CoinGate's reads failing meanwhile.
      sim().injectFault({ method: "GET", path: "/v2/send_requests*", kind: "503", times: Infinity } as any)
      expect((await post(`/admin/coingate/orders/${order.id}/refunds`, first)).status).toBe(409)
      const smaller = await post(`/admin/coingate/orders/${order.id}/refunds`, form({ amount: "10.49" }))
      // Not 20.99 out on 10.50 captured.
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, cents: 1050 })
      expect(smaller.status).toBe(400)
      const view = await get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.payments[0].refundable).toBe("0.00")
      expect(view.data.intents).toEqual([expect.objectContaining({ kind: "payout", state: "unknown", amount: "10.50" })])
      const refund = await post(`/admin/coingate/orders/${order.id}/refunds`, form({ amount: "0.01", method: "refund", ledger_account_id: LEDGER.EUR }))
      expect(refund.status).toBe(400)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, refunds: 0, cents: 1050 })

      // Once CoinGate can be read, "Check CoinGate" records it: still nothing more can leave.
      sim().clearFaults()
      const checked = await post(`/admin/coingate/orders/${order.id}/refunds/check`)
      expect(checked.data.refunds.map((r: any) => `${r.kind}:${r.amount}`)).toEqual(["payout:10.50"])
      expect((await post(`/admin/coingate/orders/${order.id}/refunds`, form({ amount: "0.01" }))).status).toBe(400)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, cents: 1050 })
    })

    it("a refund of unknown outcome is reserved too: 5.00 unknown leaves 5.50, not 10.50", async () => {
      const { order, coingateOrderId } = await paidOrder(getContainer(), api, store, sim())
      sim().injectFault({ method: "POST", path: /^\/v2\/orders\/\d+\/refunds$/, kind: "502_after" } as any)
      sim().injectFault({ method: "GET", path: /^\/v2\/orders\/\d+\/refunds/, kind: "503", times: Infinity } as any)
      expect((await post(`/admin/coingate/orders/${order.id}/refunds`, form({ amount: "5.00", method: "refund", ledger_account_id: LEDGER.EUR }))).status).not.toBe(200)
      const over = await post(`/admin/coingate/orders/${order.id}/refunds`, form({ amount: "5.51" }))
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 0, refunds: 1, cents: 500 })
      expect(over.status).toBe(400)
      expect((await get(`/admin/coingate/orders/${order.id}/refunds`)).data.payments[0].refundable).toBe("5.50")
      expect((await post(`/admin/coingate/orders/${order.id}/refunds`, form({ amount: "5.50" }))).status).toBe(200)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ payouts: 1, refunds: 1, cents: 1050 })
    })
  },
})
