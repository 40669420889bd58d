import fc from "fast-check"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { createCart, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"
import { paymentFigures, recordOf, stateSnapshot } from "../soak/lib/reliability"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { callbackPayload } = require("../../simulator/views")
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { encodeForm } = require("../../simulator/http-util")

jest.setTimeout(900_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Forged callbacks posted straight to `POST /hooks/coingate`, form-encoded and JSON:
 * wrong tokens, wrong or foreign CoinGate ids, other sessions' ids, tampered amounts,
 * currencies and statuses (with and without a valid token), unknown sessions. None may
 * change anything: sessions, payments, orders, carts and the plugin's records are
 * compared before and after. One of the sessions is paid at CoinGate but unknown to
 * Medusa (its callbacks were lost), the juiciest target: it must stay uncaptured.
 *
 * FORGED_CALLBACKS sets the number (default 100; `npm run test:soak` posts 1,000). FC_SEED replays a run.
 */
const FORGED = Number(process.env.FORGED_CALLBACKS ?? 100)
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31

type Target = { name: string; sessionId: string; coingateOrderId: number; token: string; synced: boolean; payload: Record<string, any> }
type Forgery = { kind: string; format: "form" | "json"; body: Record<string, unknown> }

const { sim } = useSimulator({ log: !!process.env.SIM_LOG, newOrderTtlMs: 3_600_000, pendingTtlMs: 3_600_000 })

const flipChar = (token: string, at: number) => {
  const i = at % token.length
  const replacement = token[i] === "A" ? "B" : "A"
  return token.slice(0, i) + replacement + token.slice(i + 1)
}

/** The generator of forged callbacks, given the store's real sessions. */
function forgeryArb(targets: Target[]): fc.Arbitrary<Forgery> {
  const target = fc.constantFrom(...targets)
  // Sessions whose Medusa state already matches CoinGate: a callback with their valid
  // token but tampered fields must change nothing (the order is re-read; posted fields are ignored).
  const synced = fc.constantFrom(...targets.filter((t) => t.synced))
  const status = fc.constantFrom("new", "pending", "confirming", "paid", "invalid", "expired", "canceled", "refunded", "partially_refunded", "PAID", "")
  const amount = fc.oneof(fc.constantFrom("0", "0.01", "-10.50", "10.5", "1e9", "NaN", "10,50", "1050"), fc.double({ noNaN: false }).map(String))
  const currency = fc.constantFrom("EUR", "USD", "BTC", "eur", "", "JPY", "XXX")
  const format = fc.constantFrom<"form" | "json">("form", "json")
  const randomToken = fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), fc.constant(""))
  const tamper = fc.record({ status, price_amount: amount, price_currency: currency, receive_amount: amount, pay_amount: amount }, { requiredKeys: [] })

  const wrongToken = fc.tuple(target, fc.oneof(randomToken, target.map((t) => t.token), fc.nat()), tamper, format).map(([t, tok, extra, f]) => {
    const token = typeof tok === "number" ? flipChar(t.token, tok) : tok
    return { kind: "wrong token", format: f, body: { ...t.payload, ...extra, token: token === t.token ? `${token}x` : token } }
  })
  const wrongId = fc.tuple(target, fc.oneof(target.map((t) => t.coingateOrderId), fc.integer({ min: 1, max: 10 ** 12 })), format).map(([t, id, f]) => ({
    kind: "wrong id",
    format: f,
    body: { ...t.payload, id: id === t.coingateOrderId ? id + 1_000_000 : id, token: t.token },
  }))
  const tampered = fc.tuple(synced, tamper, format).map(([t, extra, f]) => ({
    kind: "tampered fields, valid token",
    format: f,
    body: { ...t.payload, ...extra, token: t.token },
  }))
  const otherSession = fc.tuple(target, target, fc.boolean(), format).map(([a, b, useB, f]) => ({
    kind: "other session's ids",
    format: f,
    // A's session with B's CoinGate order (and either token), or B's order under A's session id.
    body: a === b ? { ...a.payload, order_id: `${a.sessionId}x`, token: a.token } : { ...b.payload, order_id: a.sessionId, token: useB ? b.token : a.token },
  }))
  const unknownSession = fc
    .tuple(fc.oneof(fc.constantFrom("payses_01HXXXXXXXXXXXXXXXXXXXXXXX", "cart_01HXXXXXXXXXXXXXXXXXXXXXXX", "order_1", "' OR 1=1 --"), fc.string({ minLength: 1, maxLength: 100 })), fc.integer({ min: 1, max: 10 ** 12 }), randomToken, tamper, format)
    .map(([orderId, id, token, extra, f]) => ({ kind: "unknown session", format: f, body: { id, order_id: orderId, status: "paid", price_amount: "10.50", price_currency: "EUR", ...extra, token } }))

  return fc.oneof(wrongToken, wrongId, tampered, otherSession, unknownSession)
}

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      store = await seedStore(getContainer())
    })

    const post = (body: unknown, format: "form" | "json") =>
      api.post("/hooks/coingate", format === "json" ? JSON.stringify(body) : encodeForm(body), {
        headers: { "content-type": format === "json" ? "application/json" : "application/x-www-form-urlencoded" },
        validateStatus: () => true,
      })

    /** Real sessions in every state a forger could aim at. */
    async function realSessions(): Promise<Target[]> {
      const make = async (name: string, amount: number) => {
        const cart = await createCart(getContainer(), store, amount)
        const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
        return { name, cartId: cart.id, sessionId: session.id as string, coingateOrderId }
      }
      const pending = await make("pending", 10.5)
      await sim().setStatus(pending.coingateOrderId, "pending")
      const captured = await make("captured", 11)
      await sim().pay(captured.coingateOrderId, { kind: "full" })
      const expired = await make("expired", 12)
      await sim().setStatus(expired.coingateOrderId, "expired")
      const confirming = await make("confirming (order placed)", 13)
      await sim().setStatus(confirming.coingateOrderId, "confirming")
      const paidUnknown = await make("paid at CoinGate, callbacks lost", 14)
      await sim().setStatus(paidUnknown.coingateOrderId, "paid", { callback: false })
      const untouched = await make("new, never called back", 15)

      await waitFor("the genuine callbacks", async () => {
        const r = await Promise.all([pending, captured, expired, confirming].map((t) => recordOf(getContainer(), t.coingateOrderId)))
        return r[0]?.status === "pending" && r[1]?.medusa_state === "captured" && r[2]?.medusa_state === "canceled" && r[3]?.medusa_state === "awaiting_payment"
      })
      const all = [pending, captured, expired, confirming, paidUnknown, untouched]
      return all.map((t) => {
        const order = sim().getOrder(t.coingateOrderId)
        return {
          name: t.name,
          sessionId: t.sessionId,
          coingateOrderId: t.coingateOrderId,
          token: order.token,
          synced: t !== paidUnknown && t !== untouched,
          payload: callbackPayload((sim() as any).store.mustGet(t.coingateOrderId)),
        }
      })
    }

    it(`ignores ${FORGED} generated forged callbacks: no state changes (seed ${SEED})`, async () => {
      const targets = await realSessions()
      const before = await stateSnapshot(getContainer())
      const paidUnknown = targets.find((t) => t.name.startsWith("paid at CoinGate"))!

      const samples = fc.sample(forgeryArb(targets), { numRuns: FORGED, seed: SEED })
      const byKind: Record<string, number> = {}
      const answers: Record<string, number> = {}
      const bad: string[] = []
      for (let i = 0; i < samples.length; i += 8) {
        await Promise.all(
          samples.slice(i, i + 8).map(async (forgery) => {
            byKind[forgery.kind] = (byKind[forgery.kind] ?? 0) + 1
            const res = await post(forgery.body, forgery.format)
            answers[res.status] = (answers[res.status] ?? 0) + 1
            if (res.status >= 500) bad.push(`${res.status} for ${forgery.kind} (${forgery.format}): ${JSON.stringify(forgery.body).slice(0, 300)}`)
          })
        )
      }

      const after = await stateSnapshot(getContainer())
      const figures = { seed: SEED, forged: samples.length, byKind, answers, serverErrors: bad.length, stateChanged: JSON.stringify(after) !== JSON.stringify(before) }
      console.log(`[soak] forged callbacks: ${JSON.stringify(figures)}`)
      expect(bad).toEqual([])
      expect(after).toEqual(before)
      expect(await paymentFigures(getContainer(), paidUnknown.sessionId)).toMatchObject({ payments: 0, captures: 0 })
      expect(await recordOf(getContainer(), paidUnknown.coingateOrderId)).toBeNull()

      // The genuine callback still works afterwards.
      const genuine = await post(paidUnknown.payload, "form")
      expect(genuine.status).toBe(200)
      expect(await paymentFigures(getContainer(), paidUnknown.sessionId)).toMatchObject({ payments: 1, captures: 1 })
    })
  },
})
