import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, centsOutAtCoinGate, COIN, LEDGER, paidOrder, paymentNow, RefundSimulator } from "../helpers/refunds"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { seedStore, Store } from "../helpers/store"

/**
 * Issue 22, finding 4: admin A submits the CoinGate refund form for 9.00 while admin B clicks Medusa's
 * own Refund for 9 on the same payment, and B's refund reaches Medusa's payment module first. B's
 * refund must send nothing to CoinGate (it is one to refund by hand), A's refund is made once, and
 * nothing the widget offers afterwards can send a second 9.00 on 10.50 captured.
 */

jest.setTimeout(180_000)

const { sim: simulator } = useSimulator({ log: !!process.env.SIM_LOG })
const sim = () => simulator() as RefundSimulator
const A_REASON = "Form refund by admin A"

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }
    const post = (url: string, body: unknown = {}) => api.post(url, body, { headers, validateStatus: () => true })
    const get = (url: string) => api.get(url, { headers, validateStatus: () => true })

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api)
      sim().clearFaults()
    })

    /**
     * The race, made certain: admin A's refund form for `formAmount`, and when A's refund reaches Medusa's payment
     * module, admin B's Medusa Refund of `buttonAmount` on the same payment gets there just before it.
     */
    async function formRacedByButton(payment: { id: string }, orderId: string, formAmount: string, buttonAmount: number, key: string) {
      const paymentModule = getContainer().resolve(Modules.PAYMENT) as any
      const original = paymentModule.refundPayment
      let bRan = false
      paymentModule.refundPayment = async function (input: any, ...rest: any[]) {
        if (!bRan && input?.payment_id === payment.id && String(input?.note ?? "").startsWith(A_REASON)) {
          bRan = true
          await original.call(this, { payment_id: payment.id, amount: buttonAmount, note: "Medusa's Refund button (admin B)" })
        }
        return original.call(this, input, ...rest)
      }
      try {
        const res = await post(`/admin/coingate/orders/${orderId}/refunds`, {
          idempotency_key: `${key}_${Date.now()}`,
          amount: formAmount,
          address: "bc1qadminAaddress",
          ...COIN.BTC,
          reason: A_REASON,
          method: "refund",
          ledger_account_id: LEDGER.EUR,
        })
        return { res, bRan }
      } finally {
        paymentModule.refundPayment = original
      }
    }

    it("Medusa's Refund button racing the admin form never takes the form's refund; 9.00 leaves once on 10.50", async () => {
      const container = getContainer()
      const { order, coingateOrderId, payment } = await paidOrder(container, api, store, sim())
      const { bRan } = await formRacedByButton(payment, order.id, "9.00", 9, "race")
      expect(bRan).toBe(true)
      // A's refund was made once, to A's address; B's sent nothing.
      const made = sim().listRefunds().filter((r: any) => String(r.order_id) === String(coingateOrderId))
      expect(made.map((r: any) => `${r.request_amount}:${r.address}`)).toEqual(["9.0:bc1qadminAaddress"])

      // What the widget lists, and paying what it offers, never sends a second 9.00.
      const view = await get(`/admin/coingate/orders/${order.id}/refunds`)
      for (const manual of view.data.manual_refunds ?? []) {
        if (manual.settled_by) continue
        const pay = await post(`/admin/coingate/orders/${order.id}/refunds`, {
          idempotency_key: `pay_manual_${Date.now()}`,
          manual_refund_id: manual.medusa_refund_id,
          amount: manual.amount,
          address: "bc1qadminBaddress",
          ...COIN.BTC,
          reason: "Paying the listed refund",
          method: "refund",
          ledger_account_id: LEDGER.EUR,
        })
        expect(pay.status).toBe(400)
      }
      const out = centsOutAtCoinGate(sim(), coingateOrderId)
      expect(out.cents).toBe(900)
      // A's refund is kept and counts: nothing more can leave. Medusa refused to record it on top of B's 9.00, which
      // nothing else pays: B's row records it (else the card would ask to send B's 9.00 by hand, a second time).
      expect(view.data.refunds.map((r: any) => `${r.amount}:${r.recorded_in_medusa}`)).toEqual(["9.00:true"])
      expect(view.data.refunds[0].history.map((h: any) => h.note ?? "").join(" ")).toMatch(/Medusa refused to record it again/)
      expect((view.data.manual_refunds ?? []).filter((m: any) => !m.settled_by)).toEqual([])
      expect(view.data.payments[0]).toMatchObject({ refunded: "9.00", refundable: "1.50" })
      expect(out.cents).toBeLessThanOrEqual(1050)
      expect(out).toMatchObject({ refunds: 1, cents: 900 })
      // Medusa counts one 9.00 refund, linked to A's CoinGate refund: the books match CoinGate's 9.00.
      const medusa = await paymentNow(container, payment.id)
      expect(medusa.refunds.reduce((a: number, r: any) => a + Number(r.amount), 0)).toBe(9)
    })

    it("Medusa's Refund button of a smaller amount racing a form: Medusa records what its room allows, its refunds equal CoinGate's", async () => {
      // Found by the money-out property (a 3.58 Medusa refund raced a 7.66 form): Medusa refused the form's
      // 7.66 on top of its 3.58 (6.92 left), so it counted 3.58 while CoinGate sent 7.66.
      const container = getContainer()
      const { order, coingateOrderId, payment } = await paidOrder(container, api, store, sim())
      const { res, bRan } = await formRacedByButton(payment, order.id, "7.66", 3.58, "race_small")
      expect(bRan).toBe(true)
      expect(res.status).toBe(200)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ refunds: 1, cents: 766 })
      // Medusa's refunds add up to what CoinGate sent: B's 3.58 (paid by A's money) and 4.08 recorded for A.
      const medusa = await paymentNow(container, payment.id)
      const rows = medusa.refunds.map((r: any) => Math.round(Number(r.amount) * 100)).sort((a: number, b: number) => a - b)
      expect(rows).toEqual([358, 408])
      const view = await get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.refunds.map((r: any) => `${r.amount}:${r.recorded_in_medusa}`)).toEqual(["7.66:true"])
      expect(view.data.refunds[0].history.map((h: any) => h.note ?? "").join(" ")).toMatch(/records 4\.08 EUR; the other 3\.58 EUR paid refunds Medusa had made on its own/)
      // Nothing is left to refund by hand (A's money paid B's 3.58), and 2.84 can still leave, once.
      expect((view.data.manual_refunds ?? []).filter((m: any) => !m.settled_by && Number(m.amount) > 0)).toEqual([])
      expect(view.data.payments[0]).toMatchObject({ refunded: "7.66", refundable: "2.84" })
      const over = await post(`/admin/coingate/orders/${order.id}/refunds`, {
        idempotency_key: `race_small_over_${Date.now()}`,
        amount: "2.85",
        address: "bc1qadminAaddress",
        ...COIN.BTC,
        reason: "One cent too many",
        method: "refund",
        ledger_account_id: LEDGER.EUR,
      })
      expect(over.status).toBe(400)
      expect(centsOutAtCoinGate(sim(), coingateOrderId)).toMatchObject({ refunds: 1, cents: 766 })
    })
  },
})
