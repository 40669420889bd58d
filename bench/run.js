#!/usr/bin/env node
"use strict"
/**
 * `npm run bench`: what the CoinGate plugin costs a store, side by side with Medusa's own
 * system provider. See docs/benchmarks.md.
 *
 *   npm run bench                               full run (about 6-9 minutes on 2 cores)
 *   npm run bench -- --quick                    short run to check the harness (about 3 minutes)
 *   npm run bench -- --coingate-delay-ms 150    add 150 ms to every CoinGate API call (the simulator's latencyMs)
 *   npm run bench -- --only checkout,callbacks  run some phases (checkout, callbacks, reconcile, footprint)
 *   npm run bench -- --pairs 80 --out /tmp/r.md
 *
 * It uses the PostgreSQL at DB_HOST:DB_PORT (DB_USERNAME / DB_PASSWORD; an embedded one when
 * none answers, see scripts/postgres.js), recreates the database medusa_coingate_bench
 * (BENCH_DB_NAME) and medusa_coingate_bench_noplugin, migrates and seeds it (the demo
 * seed), starts the CoinGate simulator in this process and the development store
 * (this repository's medusa-config.ts, plugin loaded from src/) on free ports, then runs:
 *
 *   1. checkout    CoinGate and pp_system_default checkouts, interleaved (bench/checkout.js)
 *   2. callbacks   paid callback -> captured payment, both routes (bench/callbacks.js)
 *   3. reconcile   reconcileOnce over 10,000 past sessions (bench/reconcile-pass.ts, medusa exec)
 *   4. footprint   boot time and RSS with and without the plugin (bench/without-plugin/)
 *
 * It prints the machine and every figure, writes the Markdown tables to bench/results.md
 * (a quick run: bench/.runs/results-quick.md; with a delay: bench/results-delay-<n>ms.md)
 * and the raw samples to bench/.runs/<time>.json. Logs of the Medusa processes go to
 * bench/.runs/logs/. Ctrl-C stops every process it started.
 */
const fs = require("fs")
const os = require("os")
const path = require("path")
const { ensurePostgres, findFreePort } = require("../scripts/postgres")
const { startSimulator } = require("../simulator")
const { REPO_ROOT, runMedusa, startStore, killAll, rssTree } = require("./lib/proc")
const { StoreApi } = require("./lib/store-api")
const { describeMachine } = require("./lib/machine")
const { summary } = require("./lib/stats")
const { runCheckouts, verifyCheckouts, SYSTEM } = require("./checkout")
const { prepareSessions, pluginSequential, pluginBurst, medusaRoute } = require("./callbacks")
const { renderReport } = require("./report")

const SIM_TOKEN = "sim_bench_token"
const RUNS_DIR = path.join(REPO_ROOT, "bench", ".runs")
const LOG_DIR = path.join(RUNS_DIR, "logs")
const WITHOUT_PLUGIN_DIR = path.join(REPO_ROOT, "bench", "without-plugin")
const PHASES = ["checkout", "callbacks", "reconcile", "footprint"]

const say = (line) => process.stdout.write(`${line}\n`)

const FULL = {
  pairs: 50,
  warmup: 5,
  callbacks: { sequential: 100, burst: 60, concurrency: 8, medusaPaced: 30, medusaPaceMs: 250, medusaBurst: 60 },
  reconcile: {
    past: 10_000,
    scenarios: [
      { label: "0 open", open: 0, budget: "unlimited" },
      { label: "100 open, default budget", open: 100, budget: "default" },
      { label: "100 open, no budget limit (1)", open: 100, budget: "unlimited" },
      { label: "100 open, no budget limit (2)", open: 100, budget: "unlimited" },
      { label: "100 open, no budget limit (3)", open: 100, budget: "unlimited" },
      { label: "1,000 open, default budget", open: 1000, budget: "default" },
      { label: "1,000 open, no budget limit", open: 1000, budget: "unlimited" },
    ],
  },
  bootRuns: 3,
}

const QUICK = {
  pairs: 10,
  warmup: 2,
  callbacks: { sequential: 15, burst: 16, concurrency: 8, medusaPaced: 8, medusaPaceMs: 250, medusaBurst: 16 },
  reconcile: {
    past: 2_000,
    scenarios: [
      { label: "0 open", open: 0, budget: "unlimited" },
      { label: "100 open, default budget", open: 100, budget: "default" },
      { label: "100 open, no budget limit", open: 100, budget: "unlimited" },
    ],
  },
  bootRuns: 1,
}

function parseArgs(argv) {
  const args = { quick: false, delayMs: 0, only: null, pairs: null, out: null, dbName: process.env.BENCH_DB_NAME || "medusa_coingate_bench" }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i]
      if (v === undefined) throw new Error(`${a} needs a value`)
      return v
    }
    const num = (v) => {
      const n = Number(v)
      if (!Number.isFinite(n) || n < 0) throw new Error(`${a}: not a number: ${v}`)
      return n
    }
    if (a === "--quick") args.quick = true
    else if (a.startsWith("--coingate-delay-ms")) args.delayMs = num(value())
    else if (a.startsWith("--only")) {
      args.only = value().split(",").map((s) => s.trim()).filter(Boolean)
      for (const p of args.only) if (!PHASES.includes(p)) throw new Error(`--only: unknown phase ${p} (${PHASES.join(", ")})`)
    } else if (a.startsWith("--pairs")) args.pairs = Math.max(1, Math.round(num(value())))
    else if (a.startsWith("--out")) args.out = path.resolve(value())
    else if (a === "--help" || a === "-h") {
      say(fs.readFileSync(__filename, "utf8").split("\n").slice(2, 30).join("\n"))
      process.exit(0)
    } else throw new Error(`unknown argument ${a} (see --help)`)
  }
  return args
}

function pgClient(db, database) {
  let Client
  try {
    Client = require("pg").Client
  } catch {
    Client = require("@medusajs/framework/pg").Client
  }
  const client = new Client({ host: db.host, port: db.port, user: db.user, password: db.password, database })
  client.on("error", () => {})
  return client
}

function databaseUrl(db, name) {
  const auth = `${encodeURIComponent(db.user)}${db.password ? `:${encodeURIComponent(db.password)}` : ""}`
  return `postgres://${auth}@${db.host}:${db.port}/${name}`
}

async function recreateDatabase(db, name, template) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${name}`)
  const admin = pgClient(db, "postgres")
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`)
  } finally {
    await admin.end().catch(() => {})
  }
}

/** The Medusa processes' environment: database, port, the provider's options pointing at the simulator. */
function storeEnv({ dbUrl, port, simUrl }) {
  const backend = `http://localhost:${port}`
  const origins = `${backend},http://127.0.0.1:${port}`
  return {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: dbUrl,
    PORT: String(port),
    BACKEND_URL: backend,
    COINGATE_API_URL: simUrl,
    COINGATE_API_TOKEN: SIM_TOKEN,
    COINGATE_SANDBOX: "true",
    COINGATE_SUCCESS_URL: "http://localhost:8000/return.html?cart={cart_id}&session={session_id}",
    COINGATE_CANCEL_URL: "http://localhost:8000/return.html?cart={cart_id}&session={session_id}",
    STORE_CORS: "http://localhost:8000",
    ADMIN_CORS: origins,
    AUTH_CORS: origins,
    // The admin UI is not part of what is measured (and `medusa start` would build it).
    MEDUSA_ADMIN_DISABLED: "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10

/** RSS a moment after boot (lazy loading settles), in bytes. */
async function rssAfterSettling(pid, ms = 3000) {
  await sleep(ms)
  return rssTree(pid).total
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const cfg = JSON.parse(JSON.stringify(args.quick ? QUICK : FULL))
  if (args.pairs) cfg.pairs = args.pairs
  const phases = new Set(args.only || PHASES)
  const outFile =
    args.out ||
    (args.quick
      ? path.join(RUNS_DIR, "results-quick.md")
      : args.delayMs > 0
        ? path.join(REPO_ROOT, "bench", `results-delay-${args.delayMs}ms.md`)
        : path.join(REPO_ROOT, "bench", "results.md"))
  fs.mkdirSync(LOG_DIR, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, "-")
  const logFile = (name) => path.join(LOG_DIR, `${stamp}-${name}.log`)
  const t0 = Date.now()
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`

  const cleanups = []
  let cleaning = null
  const cleanup = () => {
    if (!cleaning) {
      cleaning = (async () => {
        await killAll().catch(() => {})
        while (cleanups.length) await cleanups.pop()().catch(() => {})
      })()
    }
    return cleaning
  }
  let interrupted = false
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      if (interrupted) process.exit(130)
      interrupted = true
      say(`\n[bench] ${signal}: stopping every process started...`)
      cleanup().then(() => process.exit(signal === "SIGINT" ? 130 : 143))
    })
  }

  const result = {
    startedAt: new Date().toISOString(),
    mode: args.quick ? "quick" : "full",
    coingateDelayMs: args.delayMs,
    config: cfg,
    phases: [...phases],
  }
  try {
    // --- set-up --------------------------------------------------------------------
    const db = await ensurePostgres({ log: (l) => say(`[bench] ${l.replace(/^\[postgres\] /, "postgres: ")}`) })
    cleanups.push(() => db.stop())
    const dbName = args.dbName
    const noPluginDb = `${dbName}_noplugin`
    await recreateDatabase(db, dbName)
    say(`[bench] database ${dbName} recreated on ${db.host}:${db.port}`)

    const sim = await startSimulator({ apiTokens: [SIM_TOKEN], latencyMs: args.delayMs, retryDelaysMs: [] })
    cleanups.push(() => sim.close())
    const port = await findFreePort()
    const env = storeEnv({ dbUrl: databaseUrl(db, dbName), port, simUrl: sim.url })
    say(`[bench] simulator ${sim.url} (CoinGate delay ${args.delayMs} ms); store port ${port}`)

    let t = Date.now()
    await runMedusa(["db:migrate"], { env, logFile: logFile("migrate") })
    const migrateMs = Date.now() - t
    t = Date.now()
    const seedText = await runMedusa(["exec", "./src/scripts/seed-demo.ts"], { env, logFile: logFile("seed") })
    const seedLine = seedText.split("\n").find((l) => l.startsWith("DEMO_SEED_RESULT "))
    if (!seedLine) throw new Error(`the seed printed no DEMO_SEED_RESULT line; see ${logFile("seed")}`)
    const seed = JSON.parse(seedLine.slice("DEMO_SEED_RESULT ".length))
    say(`[bench] migrated (${(migrateMs / 1000).toFixed(0)}s) and seeded (${((Date.now() - t) / 1000).toFixed(0)}s)  [${elapsed()}]`)
    if (phases.has("footprint")) await recreateDatabase(db, noPluginDb, dbName)

    const pg = pgClient(db, dbName)
    await pg.connect()
    cleanups.push(() => pg.end())

    result.machine = await describeMachine(pg)
    const m = result.machine
    say(`[bench] machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, load average ${m.loadAverage.join(" ")}`)

    const boots = { with: [], without: [] }
    const needStore = phases.has("checkout") || phases.has("callbacks") || phases.has("footprint")

    // --- the development store with the plugin ------------------------------------
    if (needStore) {
      say(`[bench] starting the development store (with the plugin)...`)
      const store = await startStore({ env, port, logFile: logFile("store") })
      const bootRss = await rssAfterSettling(store.pid)
      boots.with.push({ bootMs: store.bootMs, rss: bootRss })
      say(`[bench] store up in ${(store.bootMs / 1000).toFixed(1)}s, RSS ${mb(bootRss)} MiB  [${elapsed()}]`)
      result.footprintWith = { rssAfterBoot: bootRss }

      const api = new StoreApi(`http://localhost:${port}`, seed.publishable_key)
      const { products } = await api.get(`/store/products?handle=satoshi-t-shirt&fields=id,*variants`)
      const variantId = products[0].variants[0].id
      const regionId = seed.region_id

      if (phases.has("checkout") || phases.has("footprint")) {
        say(`[bench] 1. checkout: ${cfg.warmup} warm-up + ${cfg.pairs} interleaved pairs (CoinGate, system)`)
        t = Date.now()
        const co = await runCheckouts({ api, sim, regionId, variantId, pairs: cfg.pairs, warmup: cfg.warmup, log: say })
        co.wallMs = Date.now() - t
        co.problems = await verifyCheckouts(pg, co)
        result.checkout = co
        result.footprintWith.rssAfterCheckouts = rssTree(store.pid).total
        result.footprintWith.checkouts = 2 * (cfg.pairs + cfg.warmup)
        const cg = summary(co.coingate.map((s) => s.totalMs))
        const sy = summary(co.system.map((s) => s.totalMs))
        say(
          `[bench]    median CoinGate ${cg.p50.toFixed(0)} ms vs system ${sy.p50.toFixed(0)} ms (x${(cg.p50 / sy.p50).toFixed(2)}), ` +
            `p95 ${cg.p95.toFixed(0)} vs ${sy.p95.toFixed(0)} ms (x${(cg.p95 / sy.p95).toFixed(2)}); n = ${cg.n} + ${sy.n}` +
            `${co.problems.length ? `; PROBLEMS: ${co.problems.slice(0, 3).join("; ")}` : ""}  [${elapsed()}]`
        )
      }

      if (phases.has("callbacks")) {
        const c = cfg.callbacks
        const total = c.sequential + c.burst + c.medusaPaced + c.medusaBurst
        say(`[bench] 2. callbacks: preparing ${total} checkouts at the CoinGate step...`)
        const sessions = await prepareSessions({ api, regionId, variantId, n: total })
        const take = (n) => sessions.splice(0, n)
        const cb = {}
        say(`[bench]    plugin route, one at a time (${c.sequential})...  [${elapsed()}]`)
        cb.pluginSequential = await pluginSequential({ sim, pg, sessions: take(c.sequential) })
        say(`[bench]    plugin route, burst of ${c.burst} with ${c.concurrency} in flight...  [${elapsed()}]`)
        cb.pluginBurst = await pluginBurst({ sim, pg, sessions: take(c.burst), concurrency: c.concurrency })
        const hooks = `http://localhost:${port}/hooks/payment/coingate_coingate`
        say(`[bench]    Medusa's route, ${c.medusaPaced} callbacks ${c.medusaPaceMs} ms apart...  [${elapsed()}]`)
        cb.medusaPaced = await medusaRoute({ sim, pg, sessions: take(c.medusaPaced), url: hooks, paceMs: c.medusaPaceMs })
        say(`[bench]    Medusa's route, burst of ${c.medusaBurst}...  [${elapsed()}]`)
        cb.medusaBurst = await medusaRoute({ sim, pg, sessions: take(c.medusaBurst), url: hooks, paceMs: 0 })
        result.callbacks = cb
        const s = summary(cb.pluginSequential.latencies)
        say(
          `[bench]    plugin route p50 ${s.p50.toFixed(0)} / p95 ${s.p95.toFixed(0)} / p99 ${s.p99.toFixed(0)} ms (n ${s.n}), ` +
            `${cb.pluginBurst.ratePerSecond.toFixed(1)}/s in a burst; Medusa's route p50 ` +
            `${summary(cb.medusaPaced.latencies).p50.toFixed(0)} ms, ${cb.medusaBurst.ratePerSecond.toFixed(1)}/s  [${elapsed()}]`
        )
        for (const [k, v] of Object.entries(cb)) if (v.failures.length) say(`[bench]    ${k}: ${v.failures.length} failures: ${v.failures.slice(0, 3).join("; ")}`)
      }
      await store.stop()
    }

    // --- reconciliation -------------------------------------------------------------
    if (phases.has("reconcile")) {
      const r = cfg.reconcile
      say(`[bench] 3. reconcile: ${r.past} past sessions, scenarios ${r.scenarios.map((s) => s.label).join(" | ")}  [${elapsed()}]`)
      const plan = { simUrl: sim.url, past: r.past, paidShare: 0.1, scenarios: r.scenarios }
      const text = await runMedusa(["exec", "./bench/reconcile-pass.ts"], {
        env: { ...env, BENCH_RECONCILE_PLAN: JSON.stringify(plan) },
        logFile: logFile("reconcile"),
      })
      const line = text.split("\n").find((l) => l.startsWith("BENCH_RECONCILE_RESULT "))
      if (!line) throw new Error(`bench/reconcile-pass.ts printed no result; see ${logFile("reconcile")}`)
      result.reconcile = JSON.parse(line.slice("BENCH_RECONCILE_RESULT ".length))
      for (const sc of result.reconcile.scenarios) {
        const f = sc.figures
        say(
          `[bench]    ${sc.label}: ${sc.wallMs.toFixed(0)} ms, CoinGate requests ${sc.simRequests} (budget ${sc.budget}), ` +
            `due ${f.due}, checked ${f.checked}, applied ${f.applied}, errors ${f.errors}, left for later ${f.skippedByBudget}, captured ${sc.capturedOfPaid}/${sc.openPaid}`
        )
      }
    }

    // --- footprint ----------------------------------------------------------------------
    if (phases.has("footprint")) {
      say(`[bench] 4. footprint: the store without the plugin (bench/without-plugin)...  [${elapsed()}]`)
      const envWithout = { ...env, DATABASE_URL: databaseUrl(db, noPluginDb) }
      const without = await startStore({ cwd: WITHOUT_PLUGIN_DIR, env: envWithout, port, logFile: logFile("store-without-plugin") })
      const rssBoot = await rssAfterSettling(without.pid)
      boots.without.push({ bootMs: without.bootMs, rss: rssBoot })
      say(`[bench]    up in ${(without.bootMs / 1000).toFixed(1)}s, RSS ${mb(rssBoot)} MiB; running the same number of checkouts (system provider)...`)
      const api = new StoreApi(`http://localhost:${port}`, seed.publishable_key)
      const { products } = await api.get(`/store/products?handle=satoshi-t-shirt&fields=id,*variants`)
      const count = result.footprintWith && result.footprintWith.checkouts ? result.footprintWith.checkouts : 2 * (cfg.pairs + cfg.warmup)
      const { performance } = require("perf_hooks")
      const sysTimes = []
      for (let i = 0; i < count; i++) {
        const t1 = performance.now()
        const cart = await api.createCart({ regionId: seed.region_id, variantId: products[0].variants[0].id })
        const col = await api.createPaymentCollection(cart.id)
        await api.createPaymentSession(col.id, SYSTEM)
        await api.completeCart(cart.id)
        sysTimes.push(performance.now() - t1)
      }
      result.footprintWithout = { rssAfterBoot: rssBoot, rssAfterCheckouts: rssTree(without.pid).total, checkouts: count, systemCheckoutMs: sysTimes }
      await without.stop()

      for (let i = 1; i < cfg.bootRuns; i++) {
        for (const which of ["with", "without"]) {
          const s =
            which === "with"
              ? await startStore({ env, port, logFile: logFile("store") })
              : await startStore({ cwd: WITHOUT_PLUGIN_DIR, env: envWithout, port, logFile: logFile("store-without-plugin") })
          const rss = await rssAfterSettling(s.pid)
          boots[which].push({ bootMs: s.bootMs, rss })
          await s.stop()
          say(`[bench]    boot ${which} the plugin: ${(s.bootMs / 1000).toFixed(1)}s, RSS ${mb(rss)} MiB  [${elapsed()}]`)
        }
      }
      result.boots = boots
    }

    result.finishedAt = new Date().toISOString()
    result.totalMs = Date.now() - t0
    result.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100)
    fs.writeFileSync(path.join(RUNS_DIR, `${stamp}.json`), JSON.stringify(result, null, 1))
    const md = renderReport(result)
    fs.mkdirSync(path.dirname(outFile), { recursive: true })
    fs.writeFileSync(outFile, md)
    say("")
    say(md)
    say(`[bench] done in ${elapsed()}: ${path.relative(process.cwd(), outFile)} (raw: bench/.runs/${stamp}.json)`)
  } finally {
    await cleanup()
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`\n[bench] failed: ${err && err.stack ? err.stack : err}`)
    process.exit(1)
  }
)
