import fc from "fast-check"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { LEDGER, RefundSimulator, refundRecords } from "../helpers/refunds"
import { COINGATE, completeCart, createCart, createPaymentSession, orderOfCart, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"
import { paymentFigures, recordOf, stateSnapshot } from "../soak/lib/reliability"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { callbackPayload } = require("../../simulator/views")
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { encodeForm } = require("../../simulator/http-util")

jest.setTimeout(3_600_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Issue 10's property: whatever a storefront sends in a session's `data` (keys named like the
 * plugin's former internal state, with plausible values, and any JSON) and whatever anyone POSTs
 * to the three callback routes, no CoinGate refund or send request is created and no payment's
 * state changes except through a verified CoinGate order (a shopper paying at the simulator).
 *
 * SECURITY_PROPERTY_RUNS sets the number of cases of each property (default 50; `npm run test:soak`
 * runs 1,000). FC_SEED replays a run.
 */
const RUNS = Number(process.env.SECURITY_PROPERTY_RUNS ?? 50)
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31
const PUBLIC_KEYS = new Set(["payment_url", "coingate_order_id", "coingate_status", "price_amount", "price_currency", "session_id", "success_url", "cancel_url", "email", "flow"])

const { sim: simulator } = useSimulator({ log: !!process.env.SIM_LOG })
const sim = () => simulator() as RefundSimulator

const decimal = fc.oneof(fc.constantFrom("5.00", "900.00", "0.01", "10.50", "1e9", "-1"), fc.double({ noNaN: true }).map(String))
const ledgerId = fc.oneof(fc.constantFrom(...Object.values(LEDGER)), fc.string())
const token43 = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)

/** What a hostile storefront sends in a session's `data`. */
const sessionDataArb = fc
  .tuple(
    fc.record(
      {
        coingate_refund_request: fc.record({
          method: fc.constantFrom("payout", "refund"),
          amount: decimal,
          amount_currency_id: fc.nat(10),
          address: fc.constantFrom("bc1qattacker000000000000000000000000000000", "TAttackerTronAddress000000000000000"),
          ledger_account_id: ledgerId,
          beneficiary: fc.record({ email: fc.constant("attacker@example.com"), country: fc.constant("LT"), first_name: fc.string() }),
          expires_at: fc.constant("2099-01-01T00:00:00.000Z"),
        }),
        coingate_refunds: fc.array(fc.record({ kind: fc.constantFrom("refund", "payout"), coingate_id: fc.nat().map(String), amount: decimal, status: fc.constantFrom("pending", "completed"), ledger_account_id: ledgerId }), { maxLength: 3 }),
        coingate_manual_refunds: fc.array(fc.record({ amount: decimal, note: fc.string(), medusa_refund_id: fc.string() }), { maxLength: 3 }),
        coingate_status: fc.constantFrom("paid", "refunded", "confirming", "x"),
        coingate_order_id: fc.oneof(fc.nat(), fc.string()),
        price_amount: decimal,
        payment_url: fc.constantFrom("https://evil.example/pay", "javascript:alert(1)"),
        token: token43,
        session_id: fc.constantFrom("payses_01HOTHERSESSION0000000000", ""),
      },
      { requiredKeys: [] }
    ),
    // The storefront's own inputs, valid (the session is created and its stored data checked)...
    fc.record(
      {
        flow: fc.constantFrom("order_first", "redirect_first"),
        email: fc.constant("shopper@example.com"),
        success_url: fc.constantFrom("http://localhost:8000/ok/{cart_id}", "http://localhost:8000/ok"),
        cancel_url: fc.constant("http://localhost:8000/back"),
      },
      { requiredKeys: [] }
    ),
    // ...or, one case in five, one of them malformed or off the store's origins (refused with a 400).
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.record({ flow: fc.constantFrom<unknown>("ORDER_FIRST", 1, {}) }),
          fc.record({ email: fc.constantFrom<unknown>("not-an-email", 7) }),
          fc.record({ success_url: fc.constantFrom("https://evil.example/x", "http://localhost:8000.evil.example/", "javascript:alert(1)") }),
          fc.record({ cancel_url: fc.constantFrom("//evil.example", "http://localhost:8001/") })
        ),
      }
    ),
    // Any other JSON (a storefront input's name would make it a malformed input: left to the cases above).
    fc.dictionary(fc.string({ maxLength: 20 }).filter((k) => !PUBLIC_KEYS.has(k)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    // One case in ten is paid at CoinGate, then its Medusa order canceled (Medusa refunds on its own).
    fc.nat(9).map((n) => n === 0)
  )
  .map(([named, inputs, malformed, junk, payAndCancel]) => ({ data: { ...junk, ...named, ...inputs, ...(malformed ?? {}) }, payAndCancel, malformed: !!malformed }))

/** A refund entry as versions up to 0.1.0 kept them in payment data: planted by the shopper on the captured target. */
const PLANTED_REFUND_ID = 777001
const plantedEntry = {
  kind: "refund",
  request_id: "req_planted",
  medusa_refund_id: "ref_planted",
  coingate_id: String(PLANTED_REFUND_ID),
  coingate_order_id: "1",
  amount: "900.00",
  currency_code: "EUR",
  address: "bc1qattacker000000000000000000000000000000",
  address_memo: null,
  currency_id: 1,
  platform_id: 2,
  coin: "BTC",
  network: "Bitcoin",
  email: "attacker@example.com",
  reason: "planted",
  ledger_account_id: LEDGER.BTC,
  status: "pending",
  snapshot: {},
  requested_at: "2026-01-01T00:00:00.000Z",
  created_at: "2026-01-01T00:00:00.000Z",
}

type Target = { sessionId: string; coingateOrderId: number; token: string; synced: boolean; payload: Record<string, unknown> }

/** What anyone POSTs to the callback routes, aimed at real sessions (a real token only where it can change nothing). */
function callbackArb(targets: Target[]) {
  const target = fc.constantFrom(...targets)
  const tamper = fc.record({ status: fc.constantFrom("paid", "refunded", "completed", "new"), price_amount: decimal, refund_amount: decimal, id: fc.oneof(fc.nat(), fc.string()) }, { requiredKeys: [] })
  const orderLike = fc.tuple(target, tamper, fc.oneof(token43, fc.string())).map(([t, extra, token]) => ({ ...t.payload, ...extra, token }))
  const syncedWithToken = fc.tuple(fc.constantFrom(...targets.filter((t) => t.synced)), tamper).map(([t, extra]) => ({ ...t.payload, ...extra, token: t.token }))
  const refundLike = fc.record({
    id: fc.oneof(fc.nat(), fc.constant(PLANTED_REFUND_ID)),
    order_id: fc.constantFrom(...targets.map((t) => t.coingateOrderId)),
    status: fc.constantFrom("completed", "pending", "rejected"),
    request_amount: decimal,
    refund_amount: decimal,
    address: fc.string(),
    ledger_account: fc.record({ id: ledgerId }),
    external_id: fc.string(),
  })
  const body = fc.oneof(orderLike, syncedWithToken, refundLike, fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })), fc.jsonValue({ maxDepth: 2 }))
  const path = fc.oneof(fc.constant("/hooks/coingate"), token43.map((t) => `/hooks/coingate/refunds/${t}`), token43.map((t) => `/hooks/coingate/send-requests/${t}`))
  return fc.record({ path, body, format: fc.constantFrom<"json" | "form">("json", "form") })
}

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    const moneyMoved = () => ({ refunds: sim().listRefunds().length, sendRequests: sim().listSendRequests().length })

    it(`storefront session data: ${RUNS} generated cases, only public fields stored, nothing paid out (seed ${SEED})`, async () => {
      const container = getContainer()
      const samples = fc.sample(sessionDataArb, { numRuns: RUNS, seed: SEED })
      const violations: string[] = []
      const answers: Record<string, number> = {}
      let paidAndCanceled = 0
      const before = moneyMoved()
      const recordsBefore = (await refundRecords(container)).length
      for (const [i, { data, payAndCancel, malformed }] of samples.entries()) {
        const what = `case ${i} ${JSON.stringify(data).slice(0, 300)}`
        const cart = await createCart(container, store, 10.5)
        const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, { headers: store.headers })
        const res = await createPaymentSession(api, store, pc.payment_collection.id, { provider_id: COINGATE, data })
        answers[res.status] = (answers[res.status] ?? 0) + 1
        if (res.status !== (malformed ? 400 : 200)) violations.push(`${res.status} for ${what}`)
        if (res.status !== 200) continue
        const { data: view } = await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers: store.headers })
        const session = view.cart.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
        const extra = Object.keys(session.data).filter((k) => !PUBLIC_KEYS.has(k))
        if (extra.length) violations.push(`stored ${extra.join(", ")} for ${what}`)
        const order = sim().getOrder(session.data.coingate_order_id)
        if (order?.order_id !== session.id || session.data.coingate_status !== "new") violations.push(`session data not CoinGate's for ${what}`)

        await completeCart(api, store, cart.id)
        const figures = await paymentFigures(container, session.id)
        if (figures.captured || figures.captures) violations.push(`captured an unpaid invoice for ${what}`)
        if (!payAndCancel) continue
        // Paid for real (a verified order), then canceled: Medusa refunds on its own, which must send nothing to CoinGate.
        await sim().pay(order.id, { kind: "full" })
        const placed = await waitFor("the paid order", () => orderOfCart(container, cart.id).then((o) => (o?.captured ? o : null)), { timeoutMs: 20_000 })
        const paymentData = placed.payments[0].data ?? {}
        if (Object.keys(paymentData).some((k) => !PUBLIC_KEYS.has(k))) violations.push(`payment data holds ${Object.keys(paymentData)} for ${what}`)
        await cancelOrderWorkflow(container).run({ input: { order_id: placed.id } }).catch(() => undefined)
        paidAndCanceled++
      }
      const after = moneyMoved()
      console.log(`[soak] security session data: ${JSON.stringify({ seed: SEED, cases: samples.length, answers, paidAndCanceled, violations: violations.length, stateChanged: violations.length > 0 })}`)
      expect(violations).toEqual([])
      expect(after).toEqual(before)
      expect((await refundRecords(container)).length).toBe(recordsBefore)
    })

    it(`callback bodies: ${RUNS} generated POSTs to the three callback routes change nothing (seed ${SEED})`, async () => {
      const container = getContainer()
      const make = async (amount: number, data: Record<string, unknown> = {}) => {
        const cart = await createCart(container, store, amount)
        const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { email: "shopper@example.com", ...data })
        return { sessionId: session.id as string, coingateOrderId }
      }
      const pending = await make(10.5)
      await sim().setStatus(pending.coingateOrderId, "pending")
      const captured = await make(11, { coingate_refunds: [plantedEntry], coingate_manual_refunds: [{ amount: "900.00", note: "planted" }] })
      await sim().pay(captured.coingateOrderId, { kind: "full" })
      const paidUnknown = await make(12)
      await sim().setStatus(paidUnknown.coingateOrderId, "paid", { callback: false })
      await waitFor("the genuine callbacks", async () => (await recordOf(container, captured.coingateOrderId))?.medusa_state === "captured" && !!(await recordOf(container, pending.coingateOrderId)))
      const targets: Target[] = [pending, captured, paidUnknown].map((t) => ({
        ...t,
        token: sim().getOrder(t.coingateOrderId).token,
        synced: t !== paidUnknown,
        payload: callbackPayload((sim() as any).store.mustGet(t.coingateOrderId)),
      }))

      const before = await stateSnapshot(container)
      const moved = moneyMoved()
      const recordsBefore = JSON.stringify(await refundRecords(container))
      const samples = fc.sample(callbackArb(targets), { numRuns: RUNS, seed: SEED })
      const answers: Record<string, number> = {}
      const serverErrors: string[] = []
      for (let i = 0; i < samples.length; i += 8) {
        await Promise.all(
          samples.slice(i, i + 8).map(async ({ path, body, format }) => {
            const form = format === "form" && body && typeof body === "object" && !Array.isArray(body)
            const res = await api.post(path, form ? encodeForm(body) : JSON.stringify(body), {
              headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json" },
              validateStatus: () => true,
            })
            answers[res.status] = (answers[res.status] ?? 0) + 1
            if (res.status >= 500 && res.status !== 503) serverErrors.push(`${res.status} on ${path}: ${JSON.stringify(body).slice(0, 300)}`)
          })
        )
      }
      const after = await stateSnapshot(container)
      console.log(`[soak] security callbacks: ${JSON.stringify({ seed: SEED, cases: samples.length, answers, serverErrors: serverErrors.length, stateChanged: JSON.stringify(after) !== JSON.stringify(before) })}`)
      expect(serverErrors).toEqual([])
      expect(after).toEqual(before)
      expect(moneyMoved()).toEqual(moved)
      expect(JSON.stringify(await refundRecords(container))).toBe(recordsBefore)
      expect(await paymentFigures(container, paidUnknown.sessionId)).toMatchObject({ payments: 0, captures: 0 })
    })
  },
})
