import fs from "fs"
import os from "os"
import path from "path"
import Redis from "ioredis"
import { freePort, SIM_TOKEN } from "../helpers/stack"
import {
  childEnv,
  createDatabase,
  databaseUrl,
  dropDatabase,
  figuresFromDb,
  MedusaChild,
  REPO_ROOT,
  runCli,
  seedThroughExec,
  sql,
  startMedusa,
  startPaymentOn,
} from "../soak/lib/medusa-process"
import { sleep } from "../soak/lib/reliability"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../simulator")
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { callbackPayload } = require("../../simulator/views")
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { encodeForm } = require("../../simulator/http-util")

jest.setTimeout(1_200_000)

/**
 * Two Medusa processes (`medusa start`, different ports) on one database with Medusa's
 * Redis modules (event bus, workflow engine, cache, locking: integration-tests/multi-instance/medusa-config.ts)
 * receive CoinGate callbacks for the same orders at the same time, while both run the
 * reconciliation job: exactly one capture per order, and each reconciliation tick runs
 * once across the two.
 *
 * Needs Redis at REDIS_HOST:REDIS_PORT (default 127.0.0.1:6379); the suite uses an empty
 * logical database (9-15) of its own and empties it afterwards. MULTI_ORDERS sets the
 * number of orders (default 9).
 */
const DB = `coingate_multi_${process.pid}`
const ORDERS = Number(process.env.MULTI_ORDERS ?? 9)
const REDIS = `redis://${process.env.REDIS_HOST ?? "127.0.0.1"}:${process.env.REDIS_PORT ?? "6379"}`

async function emptyRedisDb(): Promise<number> {
  for (let db = 15; db >= 9; db--) {
    const client = new Redis(`${REDIS}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await client.connect()
    const size = await client.dbsize()
    await client.quit()
    if (size === 0) return db
  }
  throw new Error("No empty Redis database among 9-15 for this run")
}

/** An app folder whose medusa-config is the Redis one and whose src and node_modules are the repository's. */
function makeAppDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coingate-multi-"))
  fs.copyFileSync(path.join(__dirname, "medusa-config.ts"), path.join(dir, "medusa-config.ts"))
  fs.copyFileSync(path.join(REPO_ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"))
  // The CLI only runs its project commands where package.json depends on @medusajs/medusa.
  const medusaVersion = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules/@medusajs/medusa/package.json"), "utf8")).version
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "coingate-multi-instance-app", private: true, version: "0.0.0", dependencies: { "@medusajs/medusa": medusaVersion } })
  )
  fs.symlinkSync(path.join(REPO_ROOT, "src"), path.join(dir, "src"), "dir")
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir")
  return dir
}

type Tick = { tick: string; instance: string; line: string }

function tickLines(child: MedusaChild): Tick[] {
  const out: Tick[] = []
  for (const m of child.output().matchAll(/CoinGate reconciliation tick (\S+): ([^"\n]*)/g)) {
    out.push({ tick: m[1], instance: child.name, line: m[2] })
  }
  return out
}

describe("several instances on one database with Redis", () => {
  let sim: any
  let appDir: string
  let redisDb: number
  let env: NodeJS.ProcessEnv
  const instances: MedusaChild[] = []
  let seeded: Awaited<ReturnType<typeof seedThroughExec>>

  beforeAll(async () => {
    redisDb = await emptyRedisDb()
    appDir = makeAppDir()
    sim = await startSimulator({
      apiTokens: [SIM_TOKEN],
      newOrderTtlMs: 3_600_000,
      pendingTtlMs: 3_600_000,
      retryDelaysMs: [500, 1000, 2000, 5000, 10_000],
      // CoinGate's 200 requests/min and 500 orders/h are off: the suite drives far more than a store does.
      rateLimitPerMinute: 0,
      orderQuotaPerHour: 0,
      log: !!process.env.SIM_LOG,
    })
    const [portA, portB] = [await freePort(), await freePort()]
    env = childEnv({
      DATABASE_URL: databaseUrl(DB),
      REDIS_URL: `${REDIS}/${redisDb}`,
      COINGATE_API_URL: sim.url,
      COINGATE_API_TOKEN: SIM_TOKEN,
      // CoinGate's own callbacks go to instance A; the test posts more to both.
      BACKEND_URL: `http://127.0.0.1:${portA}`,
      COINGATE_RECONCILE_DISABLED: "false",
      LOG_LEVEL: "debug",
    })
    await createDatabase(DB)
    await runCli(["db:migrate"], { cwd: appDir, env })
    // One more cart than orders: the per-cart invoice limit's test.
    seeded = await seedThroughExec({ cwd: appDir, env, carts: ORDERS + 1 })
    instances.push(await startMedusa({ name: "A", cwd: appDir, port: portA, env }))
    instances.push(await startMedusa({ name: "B", cwd: appDir, port: portB, env }))
  })

  afterAll(async () => {
    // What the two instances printed, for a look after the run.
    for (const i of instances) {
      const file = path.join(os.tmpdir(), `coingate-multi-${i.name}.log`)
      fs.writeFileSync(file, i.output())
      console.log(`[multi-instance] output of instance ${i.name}: ${file}`)
    }
    await Promise.all(instances.map((i) => i.kill("SIGTERM").catch(() => undefined)))
    await sim?.close()
    await dropDatabase(DB)
    if (redisDb !== undefined) {
      const client = new Redis(`${REDIS}/${redisDb}`)
      await client.flushdb()
      await client.quit()
    }
    if (appDir) fs.rmSync(appDir, { recursive: true, force: true })
  })

  const post = (instance: MedusaChild, body: Record<string, unknown>, format: "form" | "json") =>
    fetch(`${instance.url}/hooks/coingate`, {
      method: "POST",
      headers: { "content-type": format === "json" ? "application/json" : "application/x-www-form-urlencoded" },
      body: format === "json" ? JSON.stringify(body) : encodeForm(body),
    }).then((r) => r.status, () => 0)

  it("captures each order exactly once and runs each reconciliation tick once", async () => {
    const [A, B] = instances
    const started = Date.now()
    const orders = []
    for (let i = 0; i < ORDERS; i++) {
      const on = i % 2 ? B : A
      orders.push({ cartId: seeded.carts[i], group: i % 3, ...(await startPaymentOn(on.url, seeded.headers, seeded.carts[i])) })
    }
    const answers: Record<number, number> = {}
    const note = (s: number) => (answers[s] = (answers[s] ?? 0) + 1)

    await Promise.all(
      orders.map(async (o) => {
        const snapshot = (status: string) => sim.setStatus(o.coingateOrderId, status, { callback: false }).then(() => callbackPayload(sim.store.mustGet(o.coingateOrderId)))
        if (o.group === 0) {
          // The paid callback, three times to each instance at once, and the shopper back on B.
          const paid = await snapshot("paid")
          const sends = [A, B, A, B, A, B].map((i, k) => post(i, paid, k % 2 ? "json" : "form"))
          sends.push(fetch(`${B.url}/coingate/return/${o.sessionId}`, { redirect: "manual" }).then((r) => r.status))
          ;(await Promise.all(sends)).forEach(note)
        } else if (o.group === 1) {
          // Confirming and paid racing each other across the instances, late confirming last.
          const confirming = await snapshot("confirming")
          const paid = await snapshot("paid")
          ;(await Promise.all([post(A, confirming, "form"), post(B, paid, "json"), post(B, confirming, "json"), post(A, paid, "form")])).forEach(note)
          note(await post(B, confirming, "form"))
        } else {
          // Only `pending` is ever called back (posted until answered 200, while CoinGate still
          // says pending); `paid` is left to reconciliation (the record is due 2 minutes later).
          const pending = await snapshot("pending")
          for (let attempt = 0; attempt < 20; attempt++) {
            const status = await post(attempt % 2 ? B : A, pending, "form")
            note(status)
            if (status === 200) break
            await sleep(500)
          }
          await sim.setStatus(o.coingateOrderId, "paid", { callback: false })
        }
      })
    )

    // Wait for every order to be captured (reconciliation takes the `pending` ones 2-3 minutes later),
    // and for at least three reconciliation ticks seen with both instances up.
    const until = Date.now() + 6 * 60_000
    let results = await Promise.all(orders.map((o) => figuresFromDb(DB, o.sessionId, o.cartId)))
    for (;;) {
      const ticks = new Set([...tickLines(A), ...tickLines(B)].map((t) => t.tick))
      if (results.every((r) => r.captured) && ticks.size >= 3) break
      if (Date.now() > until) break
      await sleep(2000)
      results = await Promise.all(orders.map((o) => figuresFromDb(DB, o.sessionId, o.cartId)))
    }

    const ticks = [...tickLines(A), ...tickLines(B)]
    const byTick = new Map<string, Tick[]>()
    for (const t of ticks) byTick.set(t.tick, [...(byTick.get(t.tick) ?? []), t])
    const ran = (t: Tick) => !/^skipped/.test(t.line)
    const perTick = [...byTick.entries()].map(([tick, lines]) => ({ tick, ran: lines.filter(ran).map((l) => l.instance), skipped: lines.filter((l) => !ran(l)).map((l) => `${l.instance}: ${l.line}`) }))
    const records = await sql(DB, `select coingate_order_id, status, medusa_state, history from coingate_payment`)
    const figures = {
      orders: orders.length,
      captured: results.filter((r) => r.captured).length,
      lost: results.filter((r) => !r.captured).length,
      doubled: results.filter((r) => r.captures > 1 || r.payments > 1 || r.orders > 1).length,
      callbackAnswers: answers,
      ticks: perTick.length,
      ticksRunTwice: perTick.filter((t) => t.ran.length > 1).length,
      ticksByInstance: { A: perTick.filter((t) => t.ran.includes("A")).length, B: perTick.filter((t) => t.ran.includes("B")).length },
      reconciledByJob: records.filter((r: any) => r.history.some((h: any) => h.source === "reconcile")).length,
      seconds: Math.round((Date.now() - started) / 1000),
    }
    console.log(`[soak] several instances: ${JSON.stringify(figures)}\n${perTick.map((t) => `  tick ${t.tick}: ran on ${t.ran.join(",") || "-"}${t.skipped.length ? `; ${t.skipped.join("; ")}` : ""}`).join("\n")}`)

    for (const r of results) expect(r).toMatchObject({ orders: 1, payments: 1, captures: 1, captured: true })
    expect(Object.keys(answers).filter((s) => Number(s) >= 500 && Number(s) !== 503)).toEqual([])
    expect(perTick.length).toBeGreaterThanOrEqual(3)
    for (const t of perTick) expect(t.ran.length).toBeLessThanOrEqual(1)
    expect(perTick.filter((t) => t.ran.length === 1).length).toBeGreaterThanOrEqual(3)
    // The reconciliation-only orders were captured by the job.
    expect(figures.reconciledByJob).toBeGreaterThanOrEqual(orders.filter((o) => o.group === 2).length)
  })

  it("counts a cart's new invoices across processes: 5 in 10 minutes in all, then 429 on either instance", async () => {
    const [A, B] = instances
    const cartId = seeded.carts[ORDERS]
    const post = async (url: string, p: string, body: unknown) => {
      const res = await fetch(`${url}${p}`, { method: "POST", headers: { ...seeded.headers, "content-type": "application/json" }, body: JSON.stringify(body) })
      return { status: res.status, retryAfter: res.headers.get("retry-after") }
    }
    const before = sim.listOrders().length
    const res = await fetch(`${A.url}/store/payment-collections`, { method: "POST", headers: { ...seeded.headers, "content-type": "application/json" }, body: JSON.stringify({ cart_id: cartId }) })
    const collectionId = ((await res.json()) as any).payment_collection.id
    // Eight requests, each asking for another email (a new invoice each), alternately on A and B, two at a time.
    const answers: { status: number; retryAfter: string | null }[] = []
    for (let i = 0; i < 8; i += 2) {
      answers.push(
        ...(await Promise.all(
          [A, B].map((on, k) => post(on.url, `/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: "pp_coingate_coingate", data: { email: `buyer-${i + k}@example.com` } }))
        ))
      )
    }
    console.log(`[soak] invoice limit across instances: ${JSON.stringify({ answers: answers.map((a) => a.status), invoices: sim.listOrders().length - before })}`)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5)
    expect(answers.filter((a) => a.status === 429)).toHaveLength(3)
    for (const a of answers.filter((a) => a.status === 429)) expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(sim.listOrders().length - before).toBe(5)
  })

  it("holds the tick and pass locks across processes (two more processes race for one tick)", async () => {
    // With the Redis workflow engine each tick already fires on one instance (a BullMQ
    // repeatable job); here two further processes (`medusa exec`) call the job for the
    // same tick at the same moment, then one holds the pass lock while the other tries a pass.
    // The race starts at second 53 of a minute: the instances' own tick lock (50 s) has expired by then.
    let at = Math.ceil(Date.now() / 60_000) * 60_000 + 53_000
    if (at - Date.now() < 40_000) at += 60_000
    const tick = at - 53_000 + 30_000
    const outs = ["holder", "runner"].map((role) => path.join(os.tmpdir(), `coingate-race-${role}-${process.pid}.json`))
    const script = path.relative(appDir, path.join(__dirname, "lib/race-script.ts"))
    await Promise.all(
      ["holder", "runner"].map((role, i) =>
        runCli(["exec", script], { cwd: appDir, env: { ...env, RACE_ROLE: role, RACE_AT: String(at), RACE_TICK: String(tick), RACE_OUT: outs[i] }, timeoutMs: 240_000 })
      )
    )
    const [holder, runner] = outs.map((f) => JSON.parse(fs.readFileSync(f, "utf8")))
    outs.forEach((f) => fs.rmSync(f, { force: true }))
    console.log(`[soak] lock race: ${JSON.stringify({ holderJob: holder.job, runnerJob: runner.job, whileHeld: runner.whileHeld?.skipped ?? "ran", afterRelease: runner.afterRelease?.skipped ?? "ran" })}`)

    // Exactly one of the two ran the tick; the other saw it taken.
    expect([holder.job.ran, runner.job.ran].filter(Boolean)).toHaveLength(1)
    expect([holder.job, runner.job].find((j: any) => !j.ran).reason).toMatch(/another instance/)
    // The pass lock held in one process makes a pass in another skip, and frees it after.
    expect(holder.released).toBe(true)
    expect(runner.whileHeld).toMatchObject({ skipped: "locked", checked: 0 })
    expect(runner.afterRelease.skipped).toBeUndefined()
  })
})
