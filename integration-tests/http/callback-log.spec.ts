import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { flushCallbackCounts, INDIVIDUAL_PER_MINUTE } from "../../src/callback-log/record"
import { DAILY_LOG_BYTES } from "../../src/callback-log/day-bound"
import { pruneCallbackLog } from "../../src/callback-log/prune"
import { coingateGateway } from "../../src/gateway/index"
import coingateCallbackLogPruneJob from "../../src/jobs/coingate-callback-log-prune"
import { adminHeaders, COIN, LEDGER, paidOrder, RefundSimulator } from "../helpers/refunds"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { captureOutput, COINGATE, createCart, orderOfCart, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(240_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Issue 13's callback log: every callback (order, refund, send request; the plugin's routes and Medusa's
 * /hooks/payment) is recorded with its outcome and the store's answer, never a token; bodies are capped;
 * a flood writes a bounded number of rows and keeps the count; old rows are pruned; the admin route
 * filters and checks its query.
 */
const { sim: simulator, backendUrl } = useSimulator({ log: !!process.env.SIM_LOG })
const sim = () => simulator() as RefundSimulator
const DAY = 24 * 60 * 60 * 1000

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let headers: { authorization: string }
    const service = () => getContainer().resolve("coingate") as any
    const rows = (filters: Record<string, unknown> = {}) => service().listCoinGateCallbacks(filters, { order: { received_at: "ASC" }, take: null }) as Promise<any[]>
    /** Waits until `filters` match `n` rows (the routes write the log right after answering). */
    const until = (n: number, filters: Record<string, unknown>) =>
      waitFor(`${n} log rows ${JSON.stringify(filters)}`, async () => {
        const found = await rows(filters)
        return found.length >= n ? found : null
      }, { timeoutMs: 20_000 })
    const post = (url: string, body: unknown, extra: Record<string, unknown> = {}) => api.post(url, body, { validateStatus: () => true, ...extra })
    const admin = (url: string) => api.get(url, { headers, validateStatus: () => true })
    const checkout = async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      return startCoinGatePayment(api, store, cart.id)
    }
    /** No secret anywhere: the API token, every order's callback token, every refund and payout URL token. */
    const expectNoSecret = (text: string) => {
      const urlTokens = [...sim().listRefunds(), ...sim().listSendRequests()].map((r: any) => String(r.callback_url ?? "").split("/").pop())
      const secrets = [SIM_TOKEN, ...sim().listOrders().map((o: any) => o.token), ...urlTokens].filter((s) => s && s.length > 8)
      expect(secrets.length).toBeGreaterThan(0)
      for (const secret of secrets) expect(text).not.toContain(secret)
    }

    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api, `log-${Date.now()}@example.com`)
      sim().clearFaults()
    })

    it("order callbacks on /hooks/coingate: accepted, stale, forged, unknown, malformed, transient, each with the store's answer", async () => {
      const { coingateOrderId, session } = await checkout()
      sim().injectFault({ method: "GET", path: new RegExp(`^/v2/orders/${coingateOrderId}$`), kind: "503", times: 3 })
      expect((await sim().setStatus(coingateOrderId, "paid")).status).toBe(503) // CoinGate retries: 200
      await until(2, { coingate_order_id: String(coingateOrderId) })
      expect((await sim().sendCallback(coingateOrderId, { overrides: { status: "pending" } })).status).toBe(200)
      expect((await sim().sendCallback(coingateOrderId, { overrides: { token: "not-the-token-at-all" } })).status).toBe(200)
      expect((await sim().sendCallback(coingateOrderId, { overrides: { order_id: "payses_01NOSUCHSESSION" } })).status).toBe(200)
      expect((await post("/hooks/coingate", { hello: "world", token: "leaky-token-value" })).status).toBe(400)

      const logged = await until(6, { route: "/hooks/coingate" })
      const summary = logged.map((r) => [r.outcome, r.answer_status, r.answer])
      expect(summary).toEqual([
        ["transient", 503, "CoinGate could not be reached to verify the callback; retry later."],
        ["accepted", 200, "ok: paid"],
        ["stale", 200, "ok: paid"],
        ["forged", 200, "ignored: not verified"],
        ["unknown", 200, "ignored: unknown session"],
        ["malformed", 400, expect.stringMatching(/^Not a CoinGate order callback/)],
      ])
      expect(logged[1]).toMatchObject({ kind: "order", coingate_order_id: String(coingateOrderId), payment_session_id: session.id, provider_id: COINGATE, count: 1 })
      expect(logged[1].body).toMatchObject({ id: String(coingateOrderId), order_id: session.id, status: "paid" }) // form-encoded
      expect(logged.every((r) => r.body && !("token" in r.body))).toBe(true)
      expect(logged[5].body).toEqual({ hello: "world" })
      expectNoSecret(JSON.stringify(logged))
    })

    it("callbacks through Medusa's /hooks/payment route: recorded once by the plugin's subscriber, with Medusa's 200 OK", async () => {
      const { coingateOrderId } = await checkout()
      const viaMedusa = { url: `${backendUrl()}/hooks/payment/coingate_coingate` }
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      expect((await sim().sendCallback(coingateOrderId, viaMedusa)).status).toBe(200)
      expect((await sim().sendCallback(coingateOrderId, { ...viaMedusa, overrides: { token: "forged-token-value" } })).status).toBe(200)
      expect((await post("/hooks/payment/coingate_coingate", { hello: "world" })).status).toBe(200)
      expect((await post("/hooks/payment/coingate_nope", { id: 1, order_id: "payses_x", token: "y" })).status).toBe(200)

      const logged = await until(4, { kind: "order" })
      await new Promise((r) => setTimeout(r, 1000)) // nothing else comes (Medusa's own subscriber writes nothing)
      expect(await rows({ kind: "order" })).toHaveLength(4)
      const byOutcome = Object.fromEntries(logged.map((r) => [r.outcome, r]))
      expect(Object.keys(byOutcome).sort()).toEqual(["accepted", "forged", "malformed", "unknown"])
      expect(byOutcome.accepted).toMatchObject({ route: "/hooks/payment/coingate_coingate", provider_id: COINGATE, answer_status: 200, coingate_order_id: String(coingateOrderId) })
      expect(byOutcome.accepted.answer).toMatch(/^OK/)
      expect(byOutcome.forged.route).toBe("/hooks/payment/coingate_coingate")
      expect(byOutcome.unknown).toMatchObject({ route: "/hooks/payment/:provider", provider_id: null })
      expectNoSecret(JSON.stringify(logged))
    })

    it("refund callbacks: accepted, stale, forged, unknown, malformed, transient; the route template, never the URL token", async () => {
      const { order, coingateOrderId } = await paidOrder(getContainer(), api, store, sim())
      const made = await api.post(`/admin/coingate/orders/${order.id}/refunds`, { amount: "4.00", address: "bc1qlogrefund", ...COIN.BTC, reason: "Broken", method: "refund" }, { headers })
      const refundId = made.data.refund.coingate_id
      const url = String(sim().getRefund(refundId).callback_url).replace(backendUrl(), "")
      await sim().setRefundStatus(refundId, "processing")
      await until(1, { kind: "refund", outcome: "accepted", answer: "ok: processing" })
      sim().injectFault({ method: "GET", path: new RegExp(`/refunds/${refundId}$`), kind: "503", times: 10 })
      expect((await post(url, { id: refundId, order_id: coingateOrderId, status: "processing" })).status).toBe(503)
      sim().clearFaults()
      expect((await post(url, { id: refundId, order_id: coingateOrderId, status: "pending" })).status).toBe(200)
      expect((await post(`/hooks/coingate/refunds/${"A".repeat(43)}`, { id: refundId, order_id: coingateOrderId, status: "completed" })).status).toBe(200)
      expect((await post(url, { id: 999_999, order_id: 999_999, status: "completed" })).status).toBe(200)
      expect((await post(url, { status: "completed" })).status).toBe(400)

      await until(1, { kind: "refund", outcome: "malformed" })
      // CoinGate's own callbacks (also those that came before the refund was recorded: 503 too) and the ones posted here.
      const logged = await rows({ kind: "refund" })
      const seen = (outcome: string, status: number, answer: unknown) => logged.filter((r) => r.outcome === outcome && r.answer_status === status && (answer === undefined || r.answer === answer))
      expect(seen("transient", 503, "CoinGate could not be reached to verify the refund; retry later.").length).toBeGreaterThanOrEqual(1)
      const [accepted] = seen("accepted", 200, "ok: processing")
      // The one posted here; CoinGate's own retry of an earlier "pending" callback may land after "processing" too, also stale.
      const stale = seen("stale", 200, "ok: processing")
      expect(stale).toEqual(expect.arrayContaining([expect.objectContaining({ coingate_ref: String(refundId), body: { id: refundId, order_id: coingateOrderId, status: "pending" } })]))
      expect(stale.every((r) => r.body?.status === "pending")).toBe(true)
      expect(seen("forged", 200, "ignored: not verified")).toHaveLength(1)
      expect(seen("unknown", 200, "ignored: unknown refund")).toEqual([expect.objectContaining({ coingate_ref: "999999", coingate_order_id: "999999" })])
      expect(seen("malformed", 400, undefined)).toHaveLength(1)
      expect(logged.every((r) => r.route === "/hooks/coingate/refunds/:token")).toBe(true)
      expect(accepted).toMatchObject({ coingate_ref: String(refundId), coingate_order_id: String(coingateOrderId), provider_id: COINGATE })
      expectNoSecret(JSON.stringify(logged))
    })

    it("send-request callbacks: accepted, forged, unknown, malformed, under their own route template", async () => {
      sim().setPayoutOptions({ payout2fa: false, payoutExchange: "auto" })
      const { order } = await paidOrder(getContainer(), api, store, sim())
      const form = { idempotency_key: `log_payout_${Date.now()}`, amount: "2.00", address: "bc1qlogpayout", ...COIN.BTC, reason: "Payout", method: "payout", ledger_account_id: LEDGER.BTC }
      const payout = (await api.post(`/admin/coingate/orders/${order.id}/refunds`, form, { headers })).data.refund
      const url = String(sim().getSendRequest(payout.coingate_id).callback_url).replace(backendUrl(), "")
      await sim().setSendRequestStatus(payout.coingate_id, "processing")
      await until(1, { kind: "send_request", outcome: "accepted", answer: "ok: processing" })
      expect((await post(`/hooks/coingate/send-requests/${"B".repeat(43)}`, { id: payout.coingate_id, status: "completed", external_id: payout.medusa_refund_id })).status).toBe(200)
      expect((await post(url, { id: 999_998, status: "completed" })).status).toBe(200)
      expect((await post(url, { id: "x" })).status).toBe(400)

      await until(1, { kind: "send_request", outcome: "malformed" })
      const logged = await rows({ kind: "send_request" })
      const seen = (outcome: string, status: number) => logged.filter((r) => r.outcome === outcome && r.answer_status === status)
      expect(seen("accepted", 200)).toEqual(expect.arrayContaining([expect.objectContaining({ coingate_ref: String(payout.coingate_id), provider_id: COINGATE, answer: "ok: processing" })]))
      expect(seen("forged", 200)).toEqual([expect.objectContaining({ answer: "ignored: not verified", coingate_ref: String(payout.coingate_id) })])
      expect(seen("unknown", 200)).toEqual([expect.objectContaining({ answer: "ignored: unknown send request", coingate_ref: "999998" })])
      expect(seen("malformed", 400)).toHaveLength(1)
      expect(logged.every((r) => r.route === "/hooks/coingate/send-requests/:token")).toBe(true)
      expectNoSecret(JSON.stringify(logged))
    })

    it("a log that cannot be written changes nothing: same answer, the payment captured, a warning", async () => {
      const cart = await createCart(getContainer(), store, 10.5)
      const { coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      const db = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
      const output = captureOutput(getContainer())
      await db.raw("alter table coingate_callback rename to coingate_callback_away")
      try {
        const res = await sim().setStatus(coingateOrderId, "paid")
        expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true, status: "paid" }])
        expect((await orderOfCart(getContainer(), cart.id))?.captured).toBe(true)
        await waitFor("the warning", async () => /CoinGate callback log: order callback \(accepted\) not written \(relation "coingate_callback" does not exist\)/.test(output.text()))
      } finally {
        output.stop()
        await db.raw("alter table coingate_callback_away rename to coingate_callback")
      }
      expect(await rows()).toEqual([])
    })

    it("caps a stored body: 512 bytes for a callback not authenticated (issue 22, finding 8), 4 KB for CoinGate's own; truncated text with a marker, without the token", async () => {
      const { coingateOrderId, session } = await checkout()
      const token = sim().getOrder(coingateOrderId).token
      // Anyone can post these: an unknown session, a forged token, a malformed body.
      const pad = "x".repeat(20_000)
      expect((await post("/hooks/coingate", { id: coingateOrderId, order_id: "payses_01NOSUCHSESSION", token, pad, echo: token })).status).toBe(200)
      expect((await post("/hooks/coingate", { id: coingateOrderId, order_id: session.id, token: "forged-token-0000", status: "paid", pad })).status).toBe(200)
      expect((await post("/hooks/coingate", { order_id: session.id, pad })).status).toBe(400)
      const unauthenticated = await until(3, { route: "/hooks/coingate" })
      expect(unauthenticated.map((r) => r.outcome).sort()).toEqual(["forged", "malformed", "unknown"])
      for (const row of unauthenticated) {
        expect(row.body).toMatchObject({ truncated: true, bytes: expect.any(Number) })
        expect(row.body.bytes).toBeGreaterThan(20_000)
        expect(Buffer.byteLength(JSON.stringify(row.body))).toBeLessThanOrEqual(512)
      }
      const unknown = unauthenticated.find((r) => r.outcome === "unknown")
      expect(unknown.body.text).toMatch(/^\{"id":\d+,"order_id":"payses_01NOSUCHSESSION","pad":"xxx/)
      expect(JSON.stringify(unknown)).not.toContain(token)

      // CoinGate's own callback (verified by re-reading the order): up to 4 KB kept.
      await sim().setStatus(coingateOrderId, "pending", { callback: false })
      expect((await post("/hooks/coingate", { ...sim().getOrder(coingateOrderId), order_id: session.id, pad })).status).toBe(200)
      const [authentic] = await until(1, { route: "/hooks/coingate", outcome: ["accepted", "stale"] })
      const bytes = Buffer.byteLength(JSON.stringify(authentic.body))
      expect(bytes).toBeGreaterThan(3000)
      expect(bytes).toBeLessThanOrEqual(4096)
      expect(JSON.stringify(authentic)).not.toContain(token)
    })

    it("issue 22, finding 8: a day's log stays within its size bound, counted in the database across processes", async () => {
      const { coingateOrderId, session } = await checkout()
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
      const today = new Date().toISOString().slice(0, 10)
      const dayBytes = async () => Number((await pg.raw(`select "bytes" from "coingate_callback_day" where "day" = ?`, [today])).rows[0]?.bytes ?? 0)
      // Forged refund callbacks (a URL token that is not one): their own route, so the per-minute budget of
      // /hooks/coingate (the flood test's) is not touched.
      const route = "/hooks/coingate/refunds/:token"
      const forge = (marker: string) => post("/hooks/coingate/refunds/not-a-token", { id: 1, order_id: coingateOrderId, status: "completed", marker })
      try {
        // Other processes (another instance, the worker, an earlier flood) spent the day's bound but for 300 bytes.
        await pg.raw(`insert into "coingate_callback_day" ("day", "bytes") values (?, ?) on conflict ("day") do update set "bytes" = excluded."bytes"`, [today, DAILY_LOG_BYTES - 300])
        const start = new Date(Math.floor(Date.now() / 60_000) * 60_000)
        for (let i = 0; i < 5; i++) expect((await forge(`full-${i}`)).status).toBe(200)
        await new Promise((r) => setTimeout(r, 500))
        await flushCallbackCounts(getContainer())
        const forged = await rows({ route, received_at: { $gte: start } })
        // Counted, not stored one by one: no row of its own, no body.
        expect(forged.filter((r) => !r.aggregate)).toEqual([])
        expect(forged.reduce((sum, r) => sum + r.count, 0)).toBe(5)
        expect(forged.find((r) => r.aggregate)).toMatchObject({ outcome: "forged", body: null })
        expect(forged.find((r) => r.aggregate).answer).toMatch(/daily size bound/)

        // CoinGate's own paid callback: its row is kept, without the body; the order is captured as ever.
        expect((await sim().setStatus(coingateOrderId, "paid")).status).toBe(200)
        const [accepted] = await until(1, { outcome: "accepted", coingate_order_id: String(coingateOrderId) })
        expect(accepted).toMatchObject({ body: null, payment_session_id: session.id })
        expect(await dayBytes()).toBeLessThanOrEqual(DAILY_LOG_BYTES)
      } finally {
        await pg.raw(`delete from "coingate_callback_day"`)
      }
      // A new day's room (here: the count cleared): a row with its body again, and counted.
      expect((await forge("room")).status).toBe(200)
      await waitFor("the forged row with its body", async () => (await rows({ route, aggregate: false })).find((r) => r.body?.marker === "room"))
      expect(await dayBytes()).toBeGreaterThan(0)
    })

    it("a flood of 300 forged callbacks writes a bounded number of rows and keeps the count of all 300", async () => {
      const { coingateOrderId, session } = await checkout()
      const start = new Date()
      const forged = (i: number) => post("/hooks/coingate", { id: coingateOrderId, order_id: session.id, token: `forged-token-${i}`, status: "paid" })
      const answers: number[] = []
      for (let wave = 0; wave < 10; wave++) answers.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => forged(wave * 30 + i)))).map((r) => r.status))
      expect(answers.filter((s) => s === 200)).toHaveLength(300)
      await new Promise((r) => setTimeout(r, 500))
      await flushCallbackCounts(getContainer())
      const logged = await rows({ route: "/hooks/coingate", received_at: { $gte: new Date(Math.floor(start.getTime() / 60_000) * 60_000) } })
      // The budget per minute, route and outcome, plus one aggregate row per minute (the flood may span two).
      const budget = INDIVIDUAL_PER_MINUTE.forged
      expect(logged.filter((r) => !r.aggregate).length).toBeLessThanOrEqual(2 * budget)
      expect(logged.filter((r) => r.aggregate).length).toBeGreaterThanOrEqual(1)
      expect(logged.length).toBeLessThanOrEqual(2 * (budget + 1))
      expect(logged.reduce((sum, r) => sum + r.count, 0)).toBe(300)
      expect(logged.every((r) => r.outcome === "forged")).toBe(true)
      const aggregate = logged.find((r) => r.aggregate)
      expect(aggregate).toMatchObject({ body: null, answer_status: 200 })
      expect(aggregate.answer).toMatch(/more forged callbacks in this minute, counted, not stored one by one/)
    })

    it("prunes only rows older than callbackLogDays, in bounded batches (the job's function)", async () => {
      const now = Date.now()
      const row = (daysAgo: number, outcome = "forged") => ({ kind: "order", route: "/hooks/coingate", outcome, answer_status: 200, answer: "x", received_at: new Date(now - daysAgo * DAY) })
      await service().createCoinGateCallbacks([row(400), row(40), row(31), row(31.5), row(30.5), row(29, "kept"), row(1, "kept"), row(0, "kept")])
      expect(await pruneCallbackLog(getContainer(), { batchSize: 2, maxBatches: 2 })).toMatchObject({ days: 30, deleted: 4, more: true })
      expect((await rows()).map((r) => r.outcome).sort()).toEqual(["forged", "kept", "kept", "kept"])
      expect(await coingateCallbackLogPruneJob(getContainer())).toMatchObject({ deleted: 1, more: false })
      expect((await rows()).map((r) => r.outcome)).toEqual(["kept", "kept", "kept"])
      // A shorter retention (the callbackLogDays option) prunes more.
      const options = (coingateGateway(getContainer(), COINGATE) as any).options
      const before = options.callbackLogDays
      try {
        options.callbackLogDays = 7
        expect(await coingateCallbackLogPruneJob(getContainer())).toMatchObject({ days: 7, deleted: 1 })
      } finally {
        options.callbackLogDays = before
      }
      expect(await rows()).toHaveLength(2)
    })

    it("GET /admin/coingate/callbacks: filters, newest first, paging; 400 for a bad query; 401 without a login", async () => {
      const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000)
      const make = (o: Record<string, unknown>) => ({ kind: "order", route: "/hooks/coingate", outcome: "accepted", answer_status: 200, answer: "ok: paid", ...o })
      await service().createCoinGateCallbacks([
        make({ coingate_order_id: "11", outcome: "forged", answer: "ignored: not verified", received_at: at(50) }),
        make({ coingate_order_id: "11", received_at: at(40), body: { id: 11 } }),
        make({ coingate_order_id: "12", outcome: "unknown", received_at: at(30) }),
        make({ kind: "refund", route: "/hooks/coingate/refunds/:token", coingate_ref: "5", coingate_order_id: "11", received_at: at(20) }),
        make({ coingate_order_id: "13", outcome: "malformed", answer_status: 400, received_at: new Date(Date.now() - 3 * DAY) }),
      ])
      const all = await admin("/admin/coingate/callbacks")
      expect(all.status).toBe(200)
      expect(all.data).toMatchObject({ count: 5, limit: 20, offset: 0 })
      expect(all.data.callbacks.map((c: any) => c.coingate_order_id)).toEqual(["11", "12", "11", "11", "13"])
      expect(Object.keys(all.data.callbacks[0]).sort()).toEqual(
        ["aggregate", "answer", "answer_status", "body", "coingate_order_id", "coingate_ref", "count", "id", "kind", "outcome", "payment_session_id", "received_at", "route"].sort()
      )
      expect(all.data.callbacks[2].body).toEqual({ id: 11 })
      const of11 = await admin("/admin/coingate/callbacks?coingate_order_id=11&outcome=forged,accepted")
      expect(of11.data.callbacks.map((c: any) => [c.kind, c.outcome])).toEqual([["refund", "accepted"], ["order", "accepted"], ["order", "forged"]])
      expect((await admin("/admin/coingate/callbacks?kind=refund")).data.callbacks.map((c: any) => c.coingate_ref)).toEqual(["5"])
      const range = await admin(`/admin/coingate/callbacks?received_from=${at(45).toISOString()}&received_to=${at(25).toISOString()}`)
      expect(range.data.callbacks.map((c: any) => c.outcome)).toEqual(["unknown", "accepted"])
      const page = await admin("/admin/coingate/callbacks?limit=2&offset=2")
      expect(page.data).toMatchObject({ count: 5, limit: 2, offset: 2 })
      expect(page.data.callbacks.map((c: any) => c.coingate_order_id)).toEqual(["11", "11"])

      for (const [query, message] of [
        ["token=abc", /Unknown query parameter `token`/],
        ["limit=0", /`limit`/],
        ["limit=101", /`limit`/],
        ["offset=-5", /`offset`/],
        ["outcome=forged,nope", /`outcome`/],
        ["kind=payout", /`kind`/],
        ["received_from=2024-01-01&received_to=2025-06-01", /366 days/],
        ["received_from=soon", /ISO date/],
        ["limit=5&limit=6", /`limit` must be given once/],
      ] as const) {
        const res = await admin(`/admin/coingate/callbacks?${query}`)
        expect([query, res.status]).toEqual([query, 400])
        expect(res.data.message).toMatch(message)
      }
      const anonymous = await api.get("/admin/coingate/callbacks", { validateStatus: () => true })
      expect(anonymous.status).toBe(401)
    })
  },
})
