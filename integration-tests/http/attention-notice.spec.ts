import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders } from "../helpers/admin"
import { COIN, paidOrder, RefundSimulator, refundRecords } from "../helpers/refunds"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { captureOutput, createCart, orderOfCart, recordOf, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(180_000)

// Invoices stay payable for minutes, so that one seen on chain can expire and then be paid.
const { sim } = useSimulator({ log: !!process.env.SIM_LOG, pendingTtlMs: 5 * 60_000, newOrderTtlMs: 10 * 60_000 })

const TITLE = "CoinGate payment needs attention"
const SHOPPER_EMAIL = "shopper@example.com"

/**
 * The development store keeps Medusa's default notification module (notification-local on `feed`): a new
 * attention flag makes exactly one notice in the admin's feed; a repeated callback, none.
 */
medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string } | undefined

    const notices = async () => {
      const all = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" }, { order: { created_at: "ASC" } })
      return all.filter((n: any) => n.data?.title === TITLE) as any[]
    }
    const noticesOf = async (coingateOrderId: number) => (await notices()).filter((n: any) => n.data?.coingate_order_id === String(coingateOrderId))
    /** Waits for the `count`th notice of the order (they are sent in the background), then a little more for any extra one. */
    async function expectNotices(coingateOrderId: number, count: number) {
      if (count > 0) await waitFor(`notice ${count}`, async () => (await noticesOf(coingateOrderId)).length >= count)
      await new Promise((r) => setTimeout(r, 1500))
      const found = await noticesOf(coingateOrderId)
      expect(found).toHaveLength(count)
      return found
    }

    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
      headers ??= await adminHeaders(getContainer(), api, "notice-admin@example.com")
    })

    async function checkout(amount = 10.5) {
      const cart = await createCart(getContainer(), store, amount)
      const started = await startCoinGatePayment(api, store, cart.id, { email: SHOPPER_EMAIL })
      return { cart, ...started }
    }

    it("one notice for a new flag, none for repeated callbacks, one more for a different reason", async () => {
      const { cart, coingateOrderId } = await checkout()
      expect((await sim().setStatus(coingateOrderId, "paid", { fields: { price_amount: "9.50" } })).status).toBe(200)
      expect(await recordOf(getContainer(), coingateOrderId)).toMatchObject({ attention: "amount_mismatch", medusa_state: "mismatch" })
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()

      const [first] = await expectNotices(coingateOrderId, 1)
      expect(first).toMatchObject({ to: "", channel: "feed", template: "admin-ui", status: "success" })
      expect(first.data.description).toContain(`Amount mismatch: CoinGate order ${coingateOrderId}, no order.`)
      expect(first.data.description).toContain("CoinGate asks 9.50 EUR")
      const text = JSON.stringify(first)
      expect(text).not.toContain(SHOPPER_EMAIL)
      expect(text).not.toContain(SIM_TOKEN)
      expect(text).not.toContain(sim().getOrder(coingateOrderId).token)

      // CoinGate repeats its callbacks: the flag is unchanged, no new notice.
      for (let i = 0; i < 3; i++) expect((await sim().sendCallback(coingateOrderId)).status).toBe(200)
      await expectNotices(coingateOrderId, 1)

      // Another reason replaces the flag: that is a new flag.
      expect((await sim().setStatus(coingateOrderId, "paid", { fields: { price_currency: "USD" } })).status).toBe(200)
      expect((await recordOf(getContainer(), coingateOrderId)).attention).toBe("currency_mismatch")
      const both = await expectNotices(coingateOrderId, 2)
      expect(both[1].data.description).toContain(`Currency mismatch: CoinGate order ${coingateOrderId}, no order.`)
    })

    it("names the Medusa order by its display id, shows in the admin's feed, and notices a flag raised again after it was cleared", async () => {
      const { cart, coingateOrderId } = await checkout(15)
      await sim().pay(coingateOrderId, { kind: "full", confirm: false })
      const placed = await waitFor("the order", () => orderOfCart(getContainer(), cart.id))
      await sim().setStatus(coingateOrderId, "expired")
      await waitFor("the cancellation", () => orderOfCart(getContainer(), cart.id).then((o) => o?.status === "canceled"))
      await expectNotices(coingateOrderId, 0)

      await sim().pay(coingateOrderId, { kind: "full" })
      const record = await waitFor("the flag", () => recordOf(getContainer(), coingateOrderId).then((r) => (r?.attention ? r : null)))
      expect(record.attention).toBe("paid_after_cancellation")
      const [notice] = await expectNotices(coingateOrderId, 1)
      const { display_id } = await getContainer().resolve(Modules.ORDER).retrieveOrder(placed.id, { select: ["display_id"] })
      expect(notice.data.description).toContain(`Paid after cancellation: CoinGate order ${coingateOrderId}, order #${display_id}.`)

      // The admin's bell lists it (the feed asks for notices to the user, or to "").
      const feed = await api.get(`/admin/notifications?channel=feed&limit=50`, { headers })
      expect(feed.data.notifications.map((n: any) => n.id)).toContain(notice.id)

      // Marked as handled, then CoinGate calls again: the problem is raised anew, and announced anew.
      expect((await api.post(`/admin/coingate/payments/${record.id}/clear-attention`, {}, { headers })).status).toBe(200)
      expect((await sim().sendCallback(coingateOrderId)).status).toBe(200)
      expect((await recordOf(getContainer(), coingateOrderId)).attention).toBe("paid_after_cancellation")
      await expectNotices(coingateOrderId, 2)
    })

    it("announces a refund CoinGate rejected once, not again for its repeated callback", async () => {
      const container = getContainer()
      const { order, coingateOrderId } = await paidOrder(container, api, store, sim() as RefundSimulator)
      const form = { amount: "3.00", address: "bc1qshopperrefundaddress", ...COIN.BTC, reason: "Item arrived broken", method: "refund" }
      const res = await api.post(`/admin/coingate/orders/${order.id}/refunds`, form, { headers, validateStatus: () => true })
      expect(res.status).toBe(200)
      const rid = res.data.refund.coingate_id
      await expectNotices(coingateOrderId, 0)

      await (sim() as RefundSimulator).setRefundStatus(rid, "rejected", { rejection_reason: "The address was not confirmed." })
      await waitFor("the rejection", async () => (await refundRecords(container))[0]?.attention === "refund_rejected")
      const [notice] = await expectNotices(coingateOrderId, 1)
      const { display_id } = await container.resolve(Modules.ORDER).retrieveOrder(order.id, { select: ["display_id"] })
      expect(notice.data.description).toContain(`Refund rejected by CoinGate: CoinGate order ${coingateOrderId}, order #${display_id}.`)
      expect(notice.data.description).toContain("The address was not confirmed.")
      expect(JSON.stringify(notice)).not.toContain(SHOPPER_EMAIL)

      await (sim() as RefundSimulator).sendRefundCallback(rid)
      await expectNotices(coingateOrderId, 1)
    })

    it("a failing notification provider is a warning: the payment path answers and records as before", async () => {
      const notification = getContainer().resolve(Modules.NOTIFICATION)
      const failing = jest.spyOn(notification, "createNotifications").mockRejectedValue(new Error("feed provider down"))
      const output = captureOutput(getContainer())
      try {
        const { coingateOrderId } = await checkout()
        expect((await sim().setStatus(coingateOrderId, "paid", { fields: { price_amount: "9.50" } })).status).toBe(200)
        expect((await recordOf(getContainer(), coingateOrderId)).attention).toBe("amount_mismatch")
        await waitFor("the warning", async () => output.text().includes("the attention notification could not be sent: feed provider down"))
        expect(failing).toHaveBeenCalledTimes(1)
      } finally {
        output.stop()
        failing.mockRestore()
      }
    })
  },
})
