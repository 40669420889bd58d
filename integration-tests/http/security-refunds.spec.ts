import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { removeInternalPaymentData } from "../../src/payments/legacy-payment-data"
import { adminHeaders, COIN, createCartWithAddress, LEDGER, paymentNow, RefundSimulator, refundRecords } from "../helpers/refunds"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { adminClient, orderOfCart, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(240_000)

/**
 * Issue 10's refund findings, as an attacker with a store's public URL and publishable key would try
 * them: payment data a storefront writes never moves money, never lists a refund, and never shows refund
 * details; one admin intent moves money once; a refund callback checks before it writes.
 */

const { sim: simulator, backendUrl } = useSimulator({ log: !!process.env.SIM_LOG })
const sim = () => simulator() as RefundSimulator

/** What an attacker puts in the session data: a refund request, CoinGate refunds and manual refunds of their own making. */
const forgedInternals = (over: Record<string, unknown> = {}) => ({
  coingate_refund_request: {
    id: "forged-1",
    method: "payout",
    amount: "10.50",
    currency_code: "EUR",
    coingate_order_id: "1",
    address: "bc1qattackeraddress",
    currency_id: COIN.BTC.currency_id,
    platform_id: COIN.BTC.platform_id,
    email: "attacker@example.com",
    reason: "mine",
    ledger_account_id: LEDGER.BTC,
    amount_currency_id: 1,
    beneficiary: { first_name: "Eve", last_name: "Attacker", country: "LT" },
    requested_at: "2026-01-01T00:00:00Z",
    expires_at: "2099-01-01T00:00:00Z",
  },
  coingate_manual_refunds: [{ medusa_refund_id: "ref_forged", amount: "900.00", currency_code: "EUR", at: "2026-01-01T00:00:00Z", note: "Pay me" }],
  ...over,
})

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }
    const admin = adminClient(api, () => headers, [])
    const refundForm = (over: Record<string, unknown> = {}) => ({ amount: "4.00", address: "bc1qshopperrefund", ...COIN.BTC, reason: "Broken", method: "refund", ...over })
    const moneyMoved = () => sim().listRefunds().length + sim().listSendRequests().length
    const refundsOf = (coingateOrderId: number) => sim().listRefunds().filter((r: any) => String(r.order_id) === String(coingateOrderId))

    /** A paid checkout whose storefront sent `data` with the session. */
    async function paidWith(data: Record<string, unknown>, amount = 10.5) {
      const container = getContainer()
      const cart = await createCartWithAddress(container, store, amount)
      const { coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { email: "shopper@example.com", ...data })
      await sim().pay(coingateOrderId, { kind: "full", payCurrency: "BTC" })
      const order = await waitFor("the captured order", () => orderOfCart(container, cart.id).then((o) => (o?.captured ? o : null)), { timeoutMs: 20_000 })
      return { order, coingateOrderId, payment: order.payments[0] }
    }

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api)
      sim().clearFaults()
    })

    it("finding 1: a refund request injected in session data moves no money when the order is canceled or refunded with Medusa's button", async () => {
      const before = moneyMoved()
      const a = await paidWith(forgedInternals())
      await cancelOrderWorkflow(getContainer()).run({ input: { order_id: a.order.id } })
      expect((await paymentNow(getContainer(), a.payment.id)).refunds).toHaveLength(1)
      expect(moneyMoved()).toBe(before)

      const b = await paidWith(forgedInternals({ coingate_refund_request: { ...forgedInternals().coingate_refund_request, method: "refund", amount: "4.00" } }))
      const standard = await api.post(`/admin/payments/${b.payment.id}/refund`, { amount: 4 }, { headers, validateStatus: () => true })
      expect(standard.status).toBe(200)
      expect(moneyMoved()).toBe(before)
      // Both are refunds the merchant still has to make, listed from Medusa's refund rows.
      expect((await admin.get(`/admin/coingate/orders/${b.order.id}/refunds`)).data.manual_refunds).toEqual([expect.objectContaining({ amount: "4.00" })])
    })

    it("finding 2: an injected manual refund is not listed and cannot be paid; a real one is capped by what was captured", async () => {
      const { order, coingateOrderId } = await paidWith(forgedInternals(), 5)
      const view = await admin.get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.manual_refunds).toEqual([])
      const pay = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "900.00", manual_refund_id: "ref_forged" }))
      expect(pay.status).toBe(400)
      expect(refundsOf(coingateOrderId)).toHaveLength(0)
    })

    it("finding 3: concurrent identical refunds (double click, retried request, same key) make one CoinGate refund", async () => {
      const { order, coingateOrderId } = await paidWith({}, 20)
      const twice = await Promise.all([admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm()), admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm())])
      expect(twice.map((r) => r.status).sort()).toEqual([200, 200])
      expect(twice[0].data.refund.id).toBe(twice[1].data.refund.id)
      const keyed = refundForm({ amount: "3.00", idempotency_key: "form_key_0001" })
      const again = await Promise.all([1, 2, 3].map(() => admin.post(`/admin/coingate/orders/${order.id}/refunds`, keyed)))
      expect(again.every((r) => r.status === 200 || r.status === 409)).toBe(true)
      const later = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, keyed)
      expect(later.status).toBe(200)
      expect(refundsOf(coingateOrderId).map((r: any) => r.request_amount).sort()).toEqual(["3.0", "4.0"])
      const view = await admin.get(`/admin/coingate/orders/${order.id}/refunds`)
      expect(view.data.payments[0]).toMatchObject({ refunded: "7.00", refundable: "13.00" })
    })

    it("finding 3: concurrent refunds together above the capture, and a manual refund paid twice at once, move money once", async () => {
      const { order, coingateOrderId } = await paidWith({}, 10.5)
      const both = await Promise.all([admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "6.00" })), admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ amount: "6.00", address: "bc1qother" }))])
      expect(both.map((r) => r.status).sort()).toEqual([200, 400])
      expect(refundsOf(coingateOrderId)).toHaveLength(1)

      const other = await paidWith({}, 10.5)
      await cancelOrderWorkflow(getContainer()).run({ input: { order_id: other.order.id } })
      const manualId = (await paymentNow(getContainer(), other.payment.id)).refunds[0].id
      const settle = () => admin.post(`/admin/coingate/orders/${other.order.id}/refunds`, refundForm({ amount: "10.50", manual_refund_id: manualId }))
      const settled = await Promise.all([settle(), settle(), settle()])
      expect(settled.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1)
      expect(settled.every((r) => [200, 400, 409].includes(r.status))).toBe(true)
      expect(refundsOf(other.coingateOrderId)).toHaveLength(1)
      expect(await refundRecords(getContainer(), { medusa_refund_id: manualId })).toHaveLength(1)
    })

    it("finding 4: the store API shows no refund details (address, email, ledger) in an order's payments", async () => {
      const { order, payment } = await paidWith({})
      const made = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm({ ledger_account_id: LEDGER.EUR }))
      expect(made.status).toBe(200)
      const res = await api.get(`/store/orders/${order.id}?fields=*payment_collections.payments`, { headers: store.headers, validateStatus: () => true })
      expect(res.status).toBe(200)
      const payments = res.data.order.payment_collections.flatMap((c: any) => c.payments)
      expect(payments.map((p: any) => p.id)).toContain(payment.id)
      const text = JSON.stringify(payments)
      for (const secret of ["bc1qshopperrefund", LEDGER.EUR, "coingate_refund", made.data.refund.coingate_id]) expect(text).not.toContain(secret)
      for (const p of payments) {
        expect(Object.keys(p.data).every((k) => ["payment_url", "coingate_order_id", "coingate_status", "price_amount", "price_currency", "session_id", "success_url", "cancel_url", "email", "flow"].includes(k))).toBe(true)
      }
    })

    it("finding 7: an unauthenticated refund callback writes nothing, even for a refund injected in the payment data", async () => {
      // CoinGate's refund ids are sequential: an attacker can name the next one in an injected entry.
      const nextId = (sim().refunds as unknown as { nextId: number }).nextId
      const entry = { kind: "refund", coingate_id: String(nextId), medusa_refund_id: "ref_forged", coingate_order_id: "1", amount: "4.00", currency_code: "EUR", address: "bc1qx", currency_id: 1, platform_id: 2, status: "pending", snapshot: {} }
      const { coingateOrderId } = await paidWith({ coingate_refunds: [entry] })
      // A refund of the order made outside Medusa (the attacker cannot, but a real refund id is the strongest case).
      const http = (await import("axios")).default.create({ baseURL: sim().url, headers: { Authorization: `Token ${SIM_TOKEN}` }, validateStatus: () => true })
      const made = await http.post(`/v2/orders/${coingateOrderId}/refunds`, { ...refundForm(), email: "shopper@example.com", ledger_account_id: LEDGER.EUR })
      expect(made.status).toBe(200)
      expect(made.data.id).toBe(nextId)
      const body = { id: made.data.id, order_id: coingateOrderId, status: "completed" }
      const res = await api.post(`/hooks/coingate/refunds/${"A".repeat(43)}`, body, { validateStatus: () => true })
      expect(await refundRecords(getContainer(), { coingate_id: String(nextId) })).toEqual([])
      expect(res.status).toBe(200)
      expect(res.data.ignored).toBeTruthy()
      expect(backendUrl()).toMatch(/^http/)
    })

    it("moves a store's refund state out of payment data (migration script), importing nothing it cannot trust", async () => {
      const { order, payment } = await paidWith({})
      const made = await admin.post(`/admin/coingate/orders/${order.id}/refunds`, refundForm())
      const db = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
      // What 0.1.0 left in the data: its refunds (one with a record, one forged), manual refunds, a request.
      const legacy = {
        ...(await paymentNow(getContainer(), payment.id)).data,
        coingate_refunds: [{ kind: "refund", coingate_id: made.data.refund.coingate_id }, { kind: "payout", coingate_id: "999999" }],
        ...forgedInternals(),
      }
      await db("payment").where("id", payment.id).update({ data: JSON.stringify(legacy) })
      const result = await removeInternalPaymentData(getContainer())
      expect(result.payments).toBeGreaterThanOrEqual(1)
      expect(result.unrecorded).toEqual([`payment ${payment.id}: payout:999999`])
      const data = (await paymentNow(getContainer(), payment.id)).data
      expect(Object.keys(data).filter((k) => /refund/.test(k))).toEqual([])
      expect(data.coingate_order_id).toBeTruthy()
      expect((await removeInternalPaymentData(getContainer())).payments).toBe(0)
      expect((await admin.get(`/admin/coingate/orders/${order.id}/refunds`)).data.refunds).toHaveLength(1)
    })
  },
})
