import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CoinGateClient } from "../../src/coingate/client"
import { SharedRequestBudget } from "../../src/coingate/request-budget"
import { coingateGateway } from "../../src/gateway/index"
import { PUBLIC_FRESH_MS } from "../../src/sources/sync-session"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { COINGATE, createCart, orderOfCart, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(300_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Issue 10, finding 5: anonymous bursts on the public routes must not turn into CoinGate
 * reads (CoinGate allows 200 requests a minute, shared with real callbacks). With the
 * simulator enforcing that limit, 6 bursts of 100 concurrent return/sync requests on each
 * of a few sessions cost at most 20 reads per session in any minute (counted at the
 * simulator), and a real paid callback sent during the flood is captured on CoinGate's
 * first retry at the latest.
 */
const BURSTS = 6
/** Concurrent requests per session and burst, half returns, half status checks. */
const PER_BURST = 100
const SESSIONS = 3
const MAX_READS_PER_SESSION = 20

/** The most of `times` (ms) that fall within any one minute. */
function mostInAMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 60_000) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}

const { sim } = useSimulator({ rateLimitPerMinute: 200, log: !!process.env.SIM_LOG })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    const checkout = async (price: number) => {
      const cart = await createCart(getContainer(), store, price)
      return { cart, ...(await startCoinGatePayment(api, store, cart.id)) }
    }

    it(`${BURSTS} bursts of ${PER_BURST} concurrent return/sync requests on each of ${SESSIONS} sessions: at most ${MAX_READS_PER_SESSION} reads per session, a paid callback still captured`, async () => {
      const flooded: Awaited<ReturnType<typeof checkout>>[] = []
      for (let i = 0; i < SESSIONS; i++) flooded.push(await checkout(10 + i))
      // Someone else paying while the flood runs.
      const payer = await checkout(42)

      const publicRequest = (i: number) => {
        const { session } = flooded[i % SESSIONS]
        return Math.floor(i / SESSIONS) % 2
          ? api.get(`/coingate/return/${session.id}?outcome=success`, { maxRedirects: 0, validateStatus: () => true })
          : api.post(`/store/coingate/payment-sessions/${session.id}/sync`, {}, { headers: store.headers, validateStatus: () => true })
      }

      const started = Date.now()
      const answers: Record<number, number> = {}
      let callback: Promise<unknown> | null = null
      for (let burst = 0; burst < BURSTS; burst++) {
        const requests = Array.from({ length: PER_BURST * SESSIONS }, (_, i) => publicRequest(i))
        if (burst === 2) callback = sim().setStatus(payer.coingateOrderId, "paid")
        for (const res of await Promise.all(requests)) answers[res.status] = (answers[res.status] ?? 0) + 1
      }
      const floodMs = Date.now() - started
      await callback

      const attempts = () => sim().callbackLog.filter((c: any) => c.orderId === payer.coingateOrderId)
      await waitFor("the paid callback's first retry", async () => attempts().some((a: any) => a.attempt >= 2 || a.outcome === "delivered"), {
        timeoutMs: 60_000,
      })
      const reads = flooded.map(({ coingateOrderId }) => sim().stats().byOrder[coingateOrderId] ?? 0)
      const readsInAMinute = flooded.map(({ coingateOrderId }) =>
        mostInAMinute(sim().requestLog.filter((r: any) => r.path === `/v2/orders/${coingateOrderId}`).map((r: any) => Date.parse(r.at)))
      )
      console.log(
        `[flood] ${BURSTS}x${PER_BURST}x${SESSIONS} requests in ${floodMs} ms; CoinGate reads per session ${JSON.stringify(reads)}, ` +
          `most in one minute ${JSON.stringify(readsInAMinute)}; ` +
          `answers ${JSON.stringify(answers)}; paid callback attempts ${JSON.stringify(attempts().map((a: any) => a.status))}; ` +
          `CoinGate 429s ${sim().requestLog.filter((r: any) => r.status === 429).length}`
      )

      // Every anonymous request got an answer the storefront understands, never a server error.
      for (const status of Object.keys(answers).map(Number)) expect([200, 303, 503]).toContain(status)
      for (const n of readsInAMinute) expect(n).toBeLessThanOrEqual(MAX_READS_PER_SESSION)

      // The first attempt may have been answered 503; CoinGate's first retry captured it.
      const delivered = attempts().find((a: any) => a.outcome === "delivered")
      expect(delivered).toMatchObject({ status: 200 })
      expect(delivered.attempt).toBeLessThanOrEqual(2)
      const order = await orderOfCart(getContainer(), payer.cart.id)
      expect(order?.captured).toBe(true)
    })

    it("once the public share is spent: answers from the record, or 503 with Retry-After without one, and reads nothing", async () => {
      const provider = coingateGateway(getContainer(), COINGATE)
      const original = provider.client
      provider.client = new CoinGateClient({ apiOrigin: sim().url, apiToken: SIM_TOKEN, timeoutMs: 5000, budget: new SharedRequestBudget({ public: 1 }) })
      try {
        // The storefront's check, naming its cart (issue 22, finding 7: the session id alone gets no cart id).
        const sync = (sessionId: string, cartId?: string) =>
          api.post(`/store/coingate/payment-sessions/${sessionId}/sync`, cartId ? { cart_id: cartId } : {}, { headers: store.headers, validateStatus: () => true })
        const known = await checkout(11)
        const unknown = await checkout(12)
        // The one public read of the minute: it leaves a record.
        expect((await sync(known.session.id)).data).toMatchObject({ coingate_status: "new", state: "pending" })
        await new Promise((r) => setTimeout(r, PUBLIC_FRESH_MS + 200))
        const readsBefore = { ...sim().stats().byOrder }

        const [fromRecord, noRecord, back] = await Promise.all([
          sync(known.session.id, known.cart.id),
          sync(unknown.session.id, unknown.cart.id),
          // The shopper's return through the invoice's success_url (with its return token: the cart id is filled in).
          api.get(sim().getOrder(unknown.coingateOrderId).success_url, { maxRedirects: 0, validateStatus: () => true }),
        ])
        expect(fromRecord.status).toBe(200)
        expect(fromRecord.data).toMatchObject({ coingate_status: "new", state: "pending", cart_id: known.cart.id })
        expect(noRecord.status).toBe(503)
        expect(Number(noRecord.headers["retry-after"])).toBeGreaterThanOrEqual(1)
        expect(back.status).toBe(303)
        expect(back.headers.location).toContain(unknown.cart.id)
        expect(sim().stats().byOrder).toEqual(readsBefore)

        // Callbacks are not held to the public share: a paid callback is captured at once.
        expect(await sim().setStatus(unknown.coingateOrderId, "paid")).toMatchObject({ status: 200 })
        expect((await orderOfCart(getContainer(), unknown.cart.id))?.captured).toBe(true)
      } finally {
        provider.client = original
      }
    })
  },
})
