import fc from "fast-check"
import http from "http"
import net from "net"
import zlib from "zlib"
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

/**
 * Bad input on the callback route: malformed, oversized and wrongly typed bodies and
 * headers get a 4xx (or a 200 that ignores them), never a 5xx, nothing changes, and the
 * server keeps serving. BAD_INPUTS sets the number of generated bodies (default 100;
 * `npm run test:soak` sends 1,000).
 */
const GENERATED = Number(process.env.BAD_INPUTS ?? 100)
const KB = 1024

type Raw = { status: number; body: string }

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
    let port: number
    beforeEach(async () => {
      store = await seedStore(getContainer())
      port = Number(new URL(api.defaults.baseURL!).port)
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

    describe("forged callbacks", () => {
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
    })

    // --- Bad input ---------------------------------------------------------------------

    /** One request with exactly these bytes and headers. */
    const send = (body: Buffer | string, headers: Record<string, string | number> = {}, { method = "POST", path = "/hooks/coingate" } = {}) =>
      new Promise<Raw>((resolve, reject) => {
        const data = typeof body === "string" ? Buffer.from(body) : body
        const req = http.request({ host: "127.0.0.1", port, method, path, headers: { "content-length": data.length, ...headers } }, (res) => {
          let text = ""
          res.setEncoding("utf8")
          res.on("data", (c) => (text += text.length < 4096 ? c : ""))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }))
        })
        req.on("error", reject)
        req.end(data)
      })

    /** Raw bytes on a socket (lying Content-Length, broken framing); resolves with the status line, or "closed". */
    const sendRaw = (text: string, { waitMs = 1500 } = {}) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(port, "127.0.0.1")
        let got = ""
        const done = () => {
          socket.destroy()
          resolve(got.split("\r\n")[0] || "closed")
        }
        socket.setTimeout(waitMs, done)
        socket.on("data", (c) => {
          got += c.toString("latin1")
          if (got.includes("\r\n\r\n")) done()
        })
        socket.on("error", done)
        socket.on("close", done)
        socket.write(text)
      })

    const json = (value: unknown) => ({ body: JSON.stringify(value), headers: { "content-type": "application/json" } })
    const form = (text: string) => ({ body: text, headers: { "content-type": "application/x-www-form-urlencoded" } })

    const expectServing = async () => {
      const health = await api.get("/health", { validateStatus: () => true })
      expect(health.status).toBe(200)
    }

    /** A real session to aim at, so that well-formed bad input meets real ids. */
    async function target() {
      const cart = await createCart(getContainer(), store, 10.5)
      const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
      await sim().setStatus(coingateOrderId, "paid", { callback: false })
      const payload = callbackPayload((sim() as any).store.mustGet(coingateOrderId))
      return { session, coingateOrderId, payload }
    }

    describe("bad input", () => {
      it("answers 4xx (or an ignoring 200) to malformed, wrongly typed and oversized bodies, and changes nothing", async () => {
        const { session, payload } = await target()
        const before = await stateSnapshot(getContainer())
        const deep = "[".repeat(20_000) + "]".repeat(20_000)
        const cases: { name: string; body: Buffer | string; headers: Record<string, string>; expect?: number[] }[] = [
          { name: "invalid JSON", body: '{"id": 1, "order_id": ', headers: { "content-type": "application/json" } },
          { name: "JSON with trailing garbage", body: `${JSON.stringify(payload)}}}`, headers: { "content-type": "application/json" } },
          { name: "JSON array", ...json([payload]) },
          { name: "JSON string", ...json("paid") },
          { name: "JSON number", ...json(42) },
          { name: "JSON null", body: "null", headers: { "content-type": "application/json" } },
          { name: "empty JSON body", body: "", headers: { "content-type": "application/json" } },
          { name: "deeply nested JSON", body: deep, headers: { "content-type": "application/json" } },
          { name: "nested objects", ...json({ ...payload, id: { $gt: 0 }, order_id: { $ne: "" }, token: { a: 1 } }) },
          { name: "arrays for fields", ...json({ ...payload, id: [payload.id], order_id: [session.id], token: [payload.token] }) },
          { name: "id not a number", ...json({ ...payload, id: "1; DROP TABLE payment" }) },
          { name: "negative id", ...json({ ...payload, id: -1 }) },
          { name: "fractional id", ...json({ ...payload, id: 1.5 }) },
          { name: "id too long", ...json({ ...payload, id: "9".repeat(40) }) },
          { name: "boolean id", ...json({ ...payload, id: true }) },
          { name: "numeric order_id", ...json({ ...payload, order_id: 12345 }) },
          { name: "numeric token", ...json({ ...payload, token: 12345 }) },
          { name: "missing token", ...json({ ...payload, token: undefined }) },
          { name: "missing everything", ...json({}) },
          { name: "huge order_id (60 KB)", ...json({ ...payload, order_id: "x".repeat(60 * KB) }) },
          { name: "huge token (60 KB)", ...json({ ...payload, token: "t".repeat(60 * KB) }) },
          { name: "JSON over 64 KB", ...json({ ...payload, padding: "p".repeat(70 * KB) }), expect: [413] },
          { name: "JSON of 5 MB", ...json({ ...payload, padding: "p".repeat(5 * KB * KB) }), expect: [413] },
          { name: "form over 64 KB", ...form(`${encodeForm(payload)}&padding=${"p".repeat(70 * KB)}`), expect: [413] },
          { name: "text over 64 KB", body: "p".repeat(70 * KB), headers: { "content-type": "text/plain" }, expect: [413] },
          { name: "form with arrays", ...form(`id[]=1&id[]=2&order_id[]=${session.id}&token[]=x`) },
          { name: "form with nested keys", ...form(`id[a]=1&order_id[b][c]=${session.id}&token=x`) },
          { name: "form with 5,000 fields", ...form(Array.from({ length: 5000 }, (_, i) => `f${i}=${i}`).join("&")) },
          { name: "form with broken escapes", ...form(`id=%E0%A4%A&order_id=%%%&token=%zz`) },
          { name: "form prototype pollution", ...form(`__proto__[polluted]=1&constructor[prototype][polluted]=1&id=1&order_id=${session.id}&token=x`) },
          { name: "JSON prototype pollution", body: `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"id":1,"order_id":"${session.id}","token":"x"}`, headers: { "content-type": "application/json" } },
          { name: "JSON sent as text/plain", body: JSON.stringify(payload).replace(payload.token, "forged"), headers: { "content-type": "text/plain" } },
          { name: "XML", body: `<callback><id>${payload.id}</id></callback>`, headers: { "content-type": "application/xml" } },
          { name: "multipart", body: `--x\r\nContent-Disposition: form-data; name="id"\r\n\r\n1\r\n--x--\r\n`, headers: { "content-type": "multipart/form-data; boundary=x" } },
          { name: "no content type", body: encodeForm(payload).replace(payload.token, "forged"), headers: {} },
          { name: "unknown charset", body: JSON.stringify(payload), headers: { "content-type": "application/json; charset=klingon" } },
          { name: "invalid UTF-8", body: Buffer.concat([Buffer.from('{"id":1,"order_id":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","token":"x"}')]), headers: { "content-type": "application/json" } },
          { name: "NUL bytes", body: `id=1&order_id=${session.id}%00&token=x%00`, headers: { "content-type": "application/x-www-form-urlencoded" } },
          { name: "gzip garbage", body: Buffer.from("not gzip at all"), headers: { "content-type": "application/json", "content-encoding": "gzip" } },
          { name: "gzip bomb (10 MB inflated)", body: zlib.gzipSync(Buffer.from(JSON.stringify({ ...payload, padding: "p".repeat(10 * KB * KB) }))), headers: { "content-type": "application/json", "content-encoding": "gzip" }, expect: [413] },
          { name: "unknown content encoding", body: JSON.stringify(payload), headers: { "content-type": "application/json", "content-encoding": "compress" } },
        ]

        const results: string[] = []
        for (const c of cases) {
          const res = await send(c.body, c.headers)
          results.push(`${c.name}: ${res.status}`)
          const ok = c.expect ? c.expect.includes(res.status) : (res.status >= 400 && res.status < 500) || res.status === 200
          if (!ok || res.status >= 500) throw new Error(`${c.name}: answered ${res.status} ${res.body.slice(0, 300)}`)
        }
        console.log(`[bad-input] ${results.join("; ")}`)
        expect(({} as any).polluted).toBeUndefined()
        expect((Object.prototype as any).polluted).toBeUndefined()
        await expectServing()
        expect(await stateSnapshot(getContainer())).toEqual(before)
        expect(await paymentFigures(getContainer(), session.id)).toMatchObject({ captures: 0 })
      })

      it("survives hostile headers and broken framing", async () => {
        const { payload } = await target()
        const body = encodeForm({ ...payload, token: "forged" })
        const results: Record<string, string | number> = {}

        // A header block over Node's limit: refused before it reaches Medusa.
        results.hugeHeader = (await send(body, { "content-type": "application/x-www-form-urlencoded", "x-junk": "j".repeat(20 * KB) }).catch(() => ({ status: 0 }))).status
        // Hundreds of headers, a duplicated content type, odd but legal casing.
        const many: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", "CoNtEnT-tYpE": "application/json" }
        for (let i = 0; i < 90; i++) many[`x-h${i}`] = "v"
        results.manyHeaders = (await send(body, many)).status
        results.badContentType = (await send(body, { "content-type": "application/x-www-form-urlencoded; charset=" })).status
        results.garbageContentType = (await send(body, { "content-type": ";;;==\u0007" }).catch(() => ({ status: 0 }))).status
        // Content-Length larger than the body: the server waits, the client gives up; nothing breaks.
        results.shortBody = await sendRaw(`POST /hooks/coingate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"id":1`)
        // Content-Length smaller than the body: the rest is a broken next request.
        results.longBody = await sendRaw(`POST /hooks/coingate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"id":1,"order_id":"x"}`)
        // Both Content-Length and chunked (request smuggling shape): refused.
        results.smuggling = await sendRaw(`POST /hooks/coingate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`)
        results.notHttp = await sendRaw(`\u0016\u0003\u0001\u0002\u0000garbage\r\n\r\n`)
        for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
          results[method] = (await send("", {}, { method })).status
        }
        console.log(`[bad-input] headers: ${JSON.stringify(results)}`)

        for (const [name, value] of Object.entries(results)) {
          const status = typeof value === "number" ? value : Number(/HTTP\/1\.1 (\d{3})/.exec(value)?.[1] ?? 0)
          if (status >= 500) throw new Error(`${name}: ${value}`)
        }
        await expectServing()
      })

      it(`never answers 5xx to ${GENERATED} generated bodies (seed ${SEED}), and keeps serving`, async () => {
        const { session, payload } = await target()
        const before = await stateSnapshot(getContainer())
        const fields = fc.constantFrom("id", "order_id", "token", "status", "price_amount", "price_currency", "fees", "__proto__", "constructor")
        // "binary" strings include control characters and lone surrogates.
        const text = (maxLength: number) => fc.oneof(fc.string({ maxLength }), fc.string({ maxLength, unit: "binary" }))
        const value = fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          text(300),
          text(3).map((t) => `${session.id}${t}`),
          fc.constant(session.id),
          fc.constant(payload.id),
          fc.constant(payload.token.slice(1))
        )
        const bodyArb = fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map((v) => ({ format: "json" as const, text: JSON.stringify(v) ?? "null" })),
          fc.dictionary(fields, value).map((d) => ({ format: "json" as const, text: JSON.stringify({ ...payload, token: "forged", ...d }) })),
          fc.dictionary(fields, value).map((d) => ({ format: "form" as const, text: encodeForm({ ...payload, token: "forged", ...d }) })),
          text(2000).map((s) => ({ format: "form" as const, text: s })),
          text(2000).map((s) => ({ format: "json" as const, text: s })),
          fc.uint8Array({ maxLength: 2000 }).map((b) => ({ format: "bytes" as const, text: Buffer.from(b).toString("latin1") }))
        )
        const types: Record<string, string> = { json: "application/json", form: "application/x-www-form-urlencoded", bytes: "application/octet-stream" }
        const answers: Record<number, number> = {}
        const bad: string[] = []
        const samples = fc.sample(bodyArb, { numRuns: GENERATED, seed: SEED })
        for (let i = 0; i < samples.length; i += 10) {
          await Promise.all(
            samples.slice(i, i + 10).map(async (s) => {
              const res = await send(Buffer.from(s.text, s.format === "bytes" ? "latin1" : "utf8"), { "content-type": types[s.format] })
              answers[res.status] = (answers[res.status] ?? 0) + 1
              if (res.status >= 500) bad.push(`${res.status}: ${s.format} ${s.text.slice(0, 200)}`)
            })
          )
        }
        console.log(`[soak] bad input: ${JSON.stringify({ seed: SEED, generated: samples.length, answers, serverErrors: bad.length })}`)
        expect(bad).toEqual([])
        await expectServing()
        expect(await stateSnapshot(getContainer())).toEqual(before)

        // The genuine callback still goes through.
        const genuine = await send(encodeForm(payload), { "content-type": "application/x-www-form-urlencoded" })
        expect(genuine.status).toBe(200)
        expect(await paymentFigures(getContainer(), session.id)).toMatchObject({ captures: 1 })
      })
    })
  },
})
