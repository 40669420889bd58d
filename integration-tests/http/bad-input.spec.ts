import fc from "fast-check"
import http from "http"
import net from "net"
import zlib from "zlib"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { createCart, seedStore, startCoinGatePayment, Store } from "../helpers/store"
import { paymentFigures, stateSnapshot } from "../soak/lib/reliability"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { callbackPayload } = require("../../simulator/views")
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { encodeForm } = require("../../simulator/http-util")

jest.setTimeout(600_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Bad input on the callback route: malformed, oversized and wrongly typed bodies and
 * headers get a 4xx (or a 200 that ignores them), never a 5xx, nothing changes, and the
 * server keeps serving. BAD_INPUTS sets the number of generated bodies (default 100;
 * `npm run test:soak` sends 1,000).
 */
const GENERATED = Number(process.env.BAD_INPUTS ?? 100)
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31
const KB = 1024

const { sim } = useSimulator({ log: !!process.env.SIM_LOG, newOrderTtlMs: 3_600_000, pendingTtlMs: 3_600_000 })

type Raw = { status: number; body: string }

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let port: number
    beforeEach(async () => {
      store = await seedStore(getContainer())
      port = Number(new URL(api.defaults.baseURL!).port)
    })

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
  },
})
