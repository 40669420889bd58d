import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { applyCoinGateOrderWorkflow } from "../../src/workflows"
import type { ApplyOutcome } from "../../src/workflows"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { completeCart, createCart, orderOfCart, recordOf, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(180_000)

/**
 * The apply step as a Medusa workflow (issue 14): one CoinGate read per paid callback and per storefront
 * cart completion, the storefront's completion through the same path (lock, record), and the
 * `coingateOrderApplied` hook a merchant uses to react.
 */

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/** What the hook saw: a merchant's handler, registered the Medusa way. */
const applied: ApplyOutcome[] = []
applyCoinGateOrderWorkflow.hooks.coingateOrderApplied(async ({ outcome }) => {
  applied.push(outcome)
})

/** CoinGate API reads of one order (`GET /v2/orders/:id`) in the simulator's request log since `from`. */
const readsOf = (coingateOrderId: number, from: number) =>
  sim()
    .requestLog.slice(from)
    .filter((r: any) => r.method === "GET" && r.path === `/v2/orders/${coingateOrderId}`).length

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    async function checkout() {
      const cart = await createCart(getContainer(), store, 10.5)
      return { cart, ...(await startCoinGatePayment(api, store, cart.id)) }
    }

    it("a paid callback reads the order from CoinGate once, captures, records, and runs the hook", async () => {
      const { cart, coingateOrderId } = await checkout()
      const from = sim().requestLog.length
      const attempt = await sim().setStatus(coingateOrderId, "paid", { callback: true })
      expect(attempt.status).toBe(200)
      expect((await orderOfCart(getContainer(), cart.id))!.captured).toBe(true)
      expect(readsOf(coingateOrderId, from)).toBe(1)
      expect((await recordOf(getContainer(), coingateOrderId))!.medusa_state).toBe("captured")
      const seen = applied.find((o) => o.record.coingate_order_id === String(coingateOrderId))
      expect(seen).toMatchObject({ coingateStatus: "paid", medusaState: "captured", cartId: cart.id, done: true })
    })

    it("the storefront's own cart completion goes through the apply path: one read, a record, the order", async () => {
      const { cart, coingateOrderId } = await checkout()
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      const from = sim().requestLog.length
      const res = await completeCart(api, store, cart.id)
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("order")
      expect(readsOf(coingateOrderId, from)).toBe(1)
      const record = await recordOf(getContainer(), coingateOrderId)
      expect(record).toMatchObject({ status: "paid", medusa_state: "captured", order_id: res.data.order.id })
      expect(record!.history.map((h: any) => h.source)).toContain("storefront")
    })

    it("completing a cart whose invoice is unpaid reads once and places no order", async () => {
      const { cart, coingateOrderId } = await checkout()
      const from = sim().requestLog.length
      const res = await completeCart(api, store, cart.id)
      expect(res.data.type).not.toBe("order")
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
      expect(readsOf(coingateOrderId, from)).toBe(1)
      await waitFor("a record of the new invoice", () => recordOf(getContainer(), coingateOrderId))
    })
  },
})
