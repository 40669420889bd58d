#!/usr/bin/env node
"use strict"
/**
 * `npm run bench`: what the CoinGate plugin costs a store, side by side with Medusa's own
 * system provider. See docs/benchmarks.md.
 *
 *   npm run bench                               full run (about 6-9 minutes on 2 cores)
 *   npm run bench -- --quick                    short run to check the harness (about 3 minutes)
 *   npm run bench -- --coingate-delay-ms 150    add 150 ms to every CoinGate API call (the simulator's latencyMs)
 *   npm run bench -- --only checkout,callbacks  run some phases (checkout, callbacks, reconcile, footprint, console)
 *   npm run bench -- --only console             the admin console's reads over 100,000 records (bench/console.js)
 *   npm run bench -- --pairs 80 --out /tmp/r.md
 *   npm run bench -- --profile --only checkout  where the checkout time goes: per step, the store's
 *                                               database queries and CoinGate calls (bench/lib/profile-hook.js)
 *   npm run bench -- --fresh                    rebuild the migrated and seeded template database
 *
 * It uses the PostgreSQL at DB_HOST:DB_PORT (DB_USERNAME / DB_PASSWORD; an embedded one when
 * none answers, see scripts/postgres.js), recreates the database medusa_coingate_bench
 * (BENCH_DB_NAME) and medusa_coingate_bench_noplugin from a template database
 * (<name>_tpl: migrated and seeded with the demo seed; rebuilt whenever the migrations, the
 * seed, medusa-config.ts or package-lock.json change, or with --fresh), starts the CoinGate simulator in this process and the development store
 * (this repository's medusa-config.ts, plugin loaded from src/) on free ports, then runs:
 *
 *   1. checkout    CoinGate and pp_system_default checkouts, interleaved (bench/checkout.js)
 *   2. callbacks   paid callback -> captured payment, both routes (bench/callbacks.js)
 *   3. reconcile   reconcileOnce over 10,000 past sessions (bench/reconcile-pass.ts, medusa exec)
 *   4. footprint   boot time and RSS with and without the plugin (bench/without-plugin/)
 *   5. console     the admin console's list, queue, totals, search and CSV export over 100,000 seeded records
 *
 * It prints the machine and every figure, writes the Markdown tables to bench/results.md
 * (a quick run: bench/.runs/results-quick.md; with a delay: bench/results-delay-<n>ms.md)
 * and the raw samples to bench/.runs/<time>.json. Logs of the Medusa processes go to
 * bench/.runs/logs/. Ctrl-C stops every process it started.
 */
const crypto = require("crypto")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { ensurePostgres, findFreePort } = require("../scripts/postgres")
const { startSimulator } = require("../simulator")
const { REPO_ROOT, runMedusa, startStore, killAll, rssTree } = require("./lib/proc")
const { StoreApi, AdminApi } = require("./lib/store-api")
const { describeMachine } = require("./lib/machine")
const { summary } = require("./lib/stats")
const { runCheckouts, verifyCheckouts, oneCheckout, SYSTEM } = require("./checkout")
const { prepareSessions, pluginSequential, pluginBurst, medusaRoute } = require("./callbacks")
const { renderReport } = require("./report")
const { readProfile, summarizeProfile, topStatements } = require("./lib/profile")
const { consolePhase } = require("./console")

const SIM_TOKEN = "sim_bench_token"
const RUNS_DIR = path.join(REPO_ROOT, "bench", ".runs")
const LOG_DIR = path.join(RUNS_DIR, "logs")
const WITHOUT_PLUGIN_DIR = path.join(REPO_ROOT, "bench", "without-plugin")
const PHASES = ["checkout", "callbacks", "reconcile", "footprint", "console"]

const say = (line) => process.stdout.write(`${line}\n`)

const FULL = {
  pairs: 50,
  warmup: 3,
  // The footprint's "after a checkout run" RSS: after this many checkout pairs (warm-up included) on both stores.
  footprintPairs: 25,
  callbacks: { sequential: 100, burst: 30, concurrency: 8, medusaPaced: 20, medusaPaceMs: 300, medusaBurst: 30 },
  reconcile: {
    past: 10_000,
    scenarios: [
      // Not reported: the first passes of a fresh process run cold code (workflows, ORM metadata).
      { label: "warm-up", open: 50, budget: "unlimited" },
      { label: "0 open", open: 0, budget: "unlimited" },
      { label: "100 open, default budget", open: 100, budget: "default" },
      { label: "100 open, no budget limit (1)", open: 100, budget: "unlimited" },
      { label: "100 open, no budget limit (2)", open: 100, budget: "unlimited" },
      { label: "1,000 open, default budget", open: 1000, budget: "default" },
      { label: "1,000 open, no budget limit", open: 1000, budget: "unlimited" },
    ],
  },
  bootRuns: 3,
  console: { records: 100_000, warmup: 3, n: 20, exportRows: 10_000, exportRuns: 3 },
}

const QUICK = {
  pairs: 10,
  warmup: 2,
  footprintPairs: 6,
  callbacks: { sequential: 15, burst: 16, concurrency: 8, medusaPaced: 8, medusaPaceMs: 250, medusaBurst: 16 },
  reconcile: {
    past: 2_000,
    scenarios: [
      { label: "warm-up", open: 20, budget: "unlimited" },
      { label: "0 open", open: 0, budget: "unlimited" },
      { label: "100 open, default budget", open: 100, budget: "default" },
      { label: "100 open, no budget limit", open: 100, budget: "unlimited" },
    ],
  },
  bootRuns: 1,
  console: { records: 20_000, warmup: 2, n: 8, exportRows: 5_000, exportRuns: 1 },
}

function parseArgs(argv) {
  const args = { quick: false, delayMs: 0, only: null, pairs: null, out: null, fresh: false, profile: false, dbName: process.env.BENCH_DB_NAME || "medusa_coingate_bench" }
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
    else if (a === "--fresh") args.fresh = true
    else if (a === "--profile") args.profile = true
    else if (a.startsWith("--coingate-delay-ms")) args.delayMs = num(value())
    else if (a.startsWith("--only")) {
      args.only = value().split(",").map((s) => s.trim()).filter(Boolean)
      for (const p of args.only) if (!PHASES.includes(p)) throw new Error(`--only: unknown phase ${p} (${PHASES.join(", ")})`)
    } else if (a.startsWith("--pairs")) args.pairs = Math.max(1, Math.round(num(value())))
    else if (a.startsWith("--out")) args.out = path.resolve(value())
    else if (a === "--help" || a === "-h") {
      say(fs.readFileSync(__filename, "utf8").split("\n").slice(2, 33).join("\n"))
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

/** What the template database depends on: when any of it changes, the template is rebuilt. */
function templateKey() {
  const hash = crypto.createHash("sha256")
  const files = [
    "package-lock.json",
    "medusa-config.ts",
    "src/scripts/seed-demo.ts",
  ]
  const modules = path.join(REPO_ROOT, "src", "modules")
  for (const mod of fs.existsSync(modules) ? fs.readdirSync(modules) : []) {
    const dir = path.join(modules, mod, "migrations")
    if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir).sort()) files.push(path.join("src", "modules", mod, "migrations", f))
  }
  for (const f of files) {
    hash.update(f)
    try {
      hash.update(fs.readFileSync(path.join(REPO_ROOT, f)))
    } catch {}
  }
  return hash.digest("hex").slice(0, 16)
}

/**
 * Recreates `dbName` from `<dbName>_tpl`, a migrated and seeded database kept between runs
 * (rebuilt when templateKey() changes or `fresh`). Resolves the seed's result.
 */
async function prepareDatabase({ db, dbName, env, logFile, fresh, log }) {
  const tpl = `${dbName}_tpl`
  const key = templateKey()
  const admin = pgClient(db, "postgres")
  await admin.connect()
  let cached = null
  try {
    const { rows } = await admin.query(`SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1`, [tpl])
    if (rows[0] && rows[0].note) {
      try {
        const note = JSON.parse(rows[0].note)
        if (note.key === key && note.seed) cached = note.seed
      } catch {}
    }
  } finally {
    await admin.end().catch(() => {})
  }
  const timings = {}
  if (!cached || fresh) {
    log(`[bench] building the template database ${tpl} (migrate + seed; reused by later runs)...`)
    await recreateDatabase(db, tpl)
    const tplEnv = { ...env, DATABASE_URL: databaseUrl(db, tpl) }
    let t = Date.now()
    await runMedusa(["db:migrate"], { env: tplEnv, logFile: logFile("migrate") })
    timings.migrateMs = Date.now() - t
    t = Date.now()
    const seedText = await runMedusa(["exec", "./src/scripts/seed-demo.ts"], { env: tplEnv, logFile: logFile("seed") })
    timings.seedMs = Date.now() - t
    const seedLine = seedText.split("\n").find((l) => l.startsWith("DEMO_SEED_RESULT "))
    if (!seedLine) throw new Error(`the seed printed no DEMO_SEED_RESULT line; see ${logFile("seed")}`)
    cached = JSON.parse(seedLine.slice("DEMO_SEED_RESULT ".length))
    const note = JSON.stringify({ key, seed: cached, builtAt: new Date().toISOString() }).replace(/'/g, "''")
    const c = pgClient(db, "postgres")
    await c.connect()
    await c.query(`COMMENT ON DATABASE "${tpl}" IS '${note}'`).finally(() => c.end().catch(() => {}))
  } else {
    log(`[bench] template database ${tpl} is up to date (--fresh rebuilds it)`)
  }
  await recreateDatabase(db, dbName, tpl)
  return { seed: cached, template: tpl, timings }
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
    (args.quick || args.profile || args.only
      ? path.join(RUNS_DIR, `results-${args.quick ? "quick" : args.profile ? "profile" : "partial"}.md`)
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
    command: ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" "),
    mode: args.quick ? "quick" : "full",
    coingateDelayMs: args.delayMs,
    config: cfg,
    phases: [...phases],
    profiled: args.profile,
  }
  try {
    // --- set-up --------------------------------------------------------------------
    const db = await ensurePostgres({ log: (l) => say(`[bench] ${l.replace(/^\[postgres\] /, "postgres: ")}`) })
    cleanups.push(() => db.stop())
    const dbName = args.dbName
    const noPluginDb = `${dbName}_noplugin`

    // CoinGate's 200 requests/min and 500 orders/h are off: the benchmark measures the plugin, not the quota.
    const sim = await startSimulator({ apiTokens: [SIM_TOKEN], latencyMs: args.delayMs, retryDelaysMs: [], rateLimitPerMinute: 0, orderQuotaPerHour: 0 })
    cleanups.push(() => sim.close())
    const port = await findFreePort()
    const env = storeEnv({ dbUrl: databaseUrl(db, dbName), port, simUrl: sim.url })
    say(`[bench] simulator ${sim.url} (CoinGate delay ${args.delayMs} ms); store port ${port}`)

    const prepared = await prepareDatabase({ db, dbName, env, logFile, fresh: args.fresh, log: say })
    const seed = prepared.seed
    result.database = { name: dbName, template: prepared.template, ...prepared.timings }
    say(`[bench] database ${dbName} recreated from ${prepared.template} on ${db.host}:${db.port}  [${elapsed()}]`)
    if (phases.has("footprint")) await recreateDatabase(db, noPluginDb, prepared.template)

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
      say(`[bench] starting the development store (with the plugin)${args.profile ? ", profiling" : ""}...`)
      const profileFile = path.join(RUNS_DIR, `${stamp}-profile.jsonl`)
      const storeEnvMain = args.profile
        ? {
            ...env,
            BENCH_PROFILE_FILE: profileFile,
            NODE_OPTIONS: `${env.NODE_OPTIONS || ""} --require ${path.join(__dirname, "lib", "profile-hook.js")}`.trim(),
          }
        : env
      const store = await startStore({ env: storeEnvMain, port, logFile: logFile("store") })
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
        const tCheckout = Date.now()
        const admin = await AdminApi.login(`http://localhost:${port}`, seed.admin_email, process.env.DEMO_ADMIN_PASSWORD || "supersecret")
        const footprintPairs = Math.min(cfg.footprintPairs, cfg.pairs + cfg.warmup)
        const onPair = async (done) => {
          if (done !== footprintPairs) return
          result.footprintWith.rssAfterCheckouts = await rssAfterSettling(store.pid)
          result.footprintWith.checkoutPairs = done
        }
        const co = await runCheckouts({ api, sim, regionId, variantId, pairs: cfg.pairs, warmup: cfg.warmup, profile: args.profile, admin, pg, onPair, log: say })
        if (args.profile) co.profile = summarizeProfile(readProfile(profileFile))
        co.wallMs = Date.now() - tCheckout
        co.problems = await verifyCheckouts(pg, co)
        result.checkout = co
        result.footprintWith.rssAfterAllCheckouts = rssTree(store.pid).total
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
        if (args.profile) {
          const lines = readProfile(profileFile).filter((l) => l.tag.startsWith("callback|"))
          cb.profile = { ...summarizeProfile(lines).byStep.route, statements: topStatements(lines) }
        }
        result.callbacks = cb
        const s = summary(cb.pluginSequential.latencies)
        say(
          `[bench]    plugin route p50 ${s.p50.toFixed(0)} / p95 ${s.p95.toFixed(0)} / p99 ${s.p99.toFixed(0)} ms (n ${s.n}), ` +
            `${cb.pluginBurst.ratePerSecond.toFixed(1)}/s in a burst; Medusa's route p50 ` +
            `${summary(cb.medusaPaced.latencies).p50.toFixed(0)} ms, ${cb.medusaBurst.ratePerSecond.toFixed(1)}/s  [${elapsed()}]`
        )
        for (const k of ["pluginSequential", "pluginBurst", "medusaPaced", "medusaBurst"]) if (cb[k].failures.length) say(`[bench]    ${k}: ${cb[k].failures.length} failures: ${cb[k].failures.slice(0, 3).join("; ")}`)
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
      const pgWithout = pgClient(db, noPluginDb)
      await pgWithout.connect()
      cleanups.push(() => pgWithout.end())
      const without = await startStore({ cwd: WITHOUT_PLUGIN_DIR, env: envWithout, port, logFile: logFile("store-without-plugin") })
      const rssBoot = await rssAfterSettling(without.pid)
      boots.without.push({ bootMs: without.bootMs, rss: rssBoot })
      const pairs = result.footprintWith && result.footprintWith.checkoutPairs ? result.footprintWith.checkoutPairs : Math.min(cfg.footprintPairs, cfg.pairs + cfg.warmup)
      say(`[bench]    up in ${(without.bootMs / 1000).toFixed(1)}s, RSS ${mb(rssBoot)} MiB; ${pairs} checkout pairs with the system provider...`)
      const api = new StoreApi(`http://localhost:${port}`, seed.publishable_key)
      const admin = await AdminApi.login(`http://localhost:${port}`, seed.admin_email, process.env.DEMO_ADMIN_PASSWORD || "supersecret")
      const { products } = await api.get(`/store/products?handle=satoshi-t-shirt&fields=id,*variants`)
      // The same work as the first pairs of section 1, the CoinGate checkout replaced by a system one:
      // per pair two checkouts and one admin capture.
      const sysTimes = []
      for (let i = 0; i < pairs; i++) {
        for (const withCapture of [false, true]) {
          const s = await oneCheckout({ api, sim, regionId: seed.region_id, variantId: products[0].variants[0].id, providerId: SYSTEM, admin: withCapture ? admin : null, pg: withCapture ? pgWithout : null })
          sysTimes.push(s.totalMs)
        }
      }
      result.footprintWithout = { rssAfterBoot: rssBoot, rssAfterCheckouts: await rssAfterSettling(without.pid), checkoutPairs: pairs, systemCheckoutMs: sysTimes }
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

    // --- console (last: its records stay in the database) ----------------------------------
    if (phases.has("console")) {
      say(`[bench] 5. console: ${cfg.console.records} CoinGate payment records  [${elapsed()}]`)
      result.console = await consolePhase({ pg, env, port, seed, cfg: cfg.console, logFile, log: say })
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
