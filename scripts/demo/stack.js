"use strict"
/**
 * The demo stack, as functions `npm run demo` (scripts/demo.js) and the browser tests
 * (integration-tests/browser) share:
 *
 *   PostgreSQL (system or embedded) -> database created if missing -> `medusa db:migrate`
 *   -> `medusa exec ./src/scripts/seed-demo.ts` -> CoinGate simulator (in this process)
 *   -> Medusa store (`medusa start`, a child process) -> checkout page (static server on demo/)
 *
 * startDemo(options) resolves to { urls, seed, sim, db, databaseUrl, stop() } once every
 * part answers; stop() ends them in reverse order (and the embedded PostgreSQL, if one was
 * started). Logs of the Medusa commands go to <logDir>/*.log.
 */
const fs = require("fs")
const path = require("path")
const { ensurePostgres, isPortFree } = require("../postgres")
const { startSimulator } = require("../../simulator")
const { checkDbName, databaseUrlFor, dropDatabase, ensureDatabase } = require("./database")
const { DEMO_DIR, startStaticServer, storefrontBundle } = require("./web")
const { runMedusa, seedDemo, startMedusa, waitForHttp } = require("./medusa")

const REPO_ROOT = path.resolve(__dirname, "../..")
const SIM_TOKEN = "sim_demo_token"

/** Ports from the environment (DEMO_*_PORT), else the demo's defaults. */
function portsFromEnv(env = process.env) {
  const num = (v, d) => {
    const n = Number.parseInt(v || "", 10)
    return Number.isInteger(n) && n > 0 && n < 65536 ? n : d
  }
  return {
    medusa: num(env.DEMO_MEDUSA_PORT || env.PORT, 9000),
    simulator: num(env.DEMO_SIMULATOR_PORT, 4010),
    // Not 8000: that is the storefront port of Medusa's starters (dtc-starter), which may use this demo as its backend.
    web: num(env.DEMO_WEB_PORT, 8090),
  }
}

/** Where the shopper comes back to on an outside storefront (docs/storefront.md's return page). */
const STOREFRONT_RETURN_PATH = "/coingate/return?cart_id={cart_id}&session_id={session_id}"

/**
 * DEMO_STOREFRONT_URL: the origin of an outside storefront (e.g. dtc-starter on http://localhost:8000) that uses
 * the demo as its backend. Null when unset; an error when it is not an http(s) origin.
 */
function storefrontUrlFromEnv(env = process.env) {
  const value = String(env.DEMO_STOREFRONT_URL || "").trim()
  if (!value) return null
  let url
  try {
    url = new URL(value)
  } catch {
    throw new Error(`DEMO_STOREFRONT_URL is not a URL: ${value} (e.g. http://localhost:8000)`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`DEMO_STOREFRONT_URL must be http(s): ${value}`)
  return url.origin
}

/**
 * The Medusa process's environment: database, ports, and the provider's options (medusa-config.ts reads them).
 * With `storefrontUrl` (DEMO_STOREFRONT_URL) the return URLs are that storefront's return page and its origin
 * is allowed by store CORS (as well as the demo's own checkout page).
 */
function medusaEnv({ databaseUrl, ports, simUrl, adminDisabled, storefrontUrl = null, base = process.env }) {
  const backend = `http://localhost:${ports.medusa}`
  const web = `http://localhost:${ports.web}`
  const returnPage = storefrontUrl ? `${storefrontUrl}${STOREFRONT_RETURN_PATH}` : `${web}/return.html?cart={cart_id}&session={session_id}`
  const adminOrigins = `${backend},http://127.0.0.1:${ports.medusa}`
  return {
    ...base,
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    PORT: String(ports.medusa),
    BACKEND_URL: backend,
    COINGATE_API_URL: simUrl,
    COINGATE_API_TOKEN: SIM_TOKEN,
    COINGATE_SANDBOX: "true",
    COINGATE_SUCCESS_URL: returnPage,
    COINGATE_CANCEL_URL: returnPage,
    STORE_CORS: [...(storefrontUrl ? [storefrontUrl] : []), web, `http://127.0.0.1:${ports.web}`].join(","),
    ADMIN_CORS: adminOrigins,
    AUTH_CORS: adminOrigins,
    MEDUSA_ADMIN_DISABLED: adminDisabled ? "true" : "false",
    MEDUSA_DISABLE_TELEMETRY: "true",
  }
}

/**
 * Starts the whole demo. Options:
 *   dbName           database to use (created if missing); default medusa_coingate_demo
 *   ports            { medusa, simulator, web } (default portsFromEnv())
 *   log              progress lines (default console.log)
 *   logDir           where the Medusa commands' logs go (default .demo/logs)
 *   adminDisabled    serve no admin (the browser tests), default false
 *   writeConfig      also write demo/config.json (npm run demo), default false
 *   dropOnStop       drop the database in stop() (tests), default false
 *   simulator        extra simulator options (default: requests and callbacks logged to <logDir>/simulator.log)
 *   stateFile        where the simulator keeps its orders across restarts, as the database keeps the
 *                    store's (default .demo/simulator-<dbName>.json, git-ignored; none with dropOnStop;
 *                    null: none). A database created afresh starts the simulator afresh too.
 *   storefrontUrl    an outside storefront's origin (default DEMO_STOREFRONT_URL; see medusaEnv)
 *   env              base environment (default process.env)
 */
async function startDemo(options = {}) {
  const {
    dbName = "medusa_coingate_demo",
    ports = portsFromEnv(),
    log = (line) => console.log(line),
    logDir = path.join(REPO_ROOT, ".demo", "logs"),
    adminDisabled = false,
    writeConfig = false,
    dropOnStop = false,
    simulator = {},
    env: baseEnv = process.env,
  } = options
  const stateFile = options.stateFile !== undefined ? options.stateFile : dropOnStop ? null : path.join(REPO_ROOT, ".demo", `simulator-${dbName}.json`)
  const storefrontUrl = options.storefrontUrl !== undefined ? options.storefrontUrl : storefrontUrlFromEnv(baseEnv)
  checkDbName(dbName)
  fs.mkdirSync(logDir, { recursive: true })
  const timings = {}
  const t = async (name, fn) => {
    const t0 = Date.now()
    try {
      return await fn()
    } finally {
      timings[name] = (Date.now() - t0) / 1000
    }
  }

  const taken = []
  for (const [name, port] of Object.entries(ports)) if (!(await isPortFree(port))) taken.push(`${name} ${port}`)
  if (taken.length) {
    throw new Error(
      `port(s) already in use: ${taken.join(", ")}. Stop what uses them, or choose others with ` +
        `DEMO_MEDUSA_PORT, DEMO_SIMULATOR_PORT and DEMO_WEB_PORT.`
    )
  }

  const stops = []
  const stop = async () => {
    while (stops.length) {
      const fn = stops.pop()
      await fn().catch((err) => log(`[demo] while stopping: ${err.message}`))
    }
  }

  try {
    const db = await t("postgres", () => ensurePostgres({ log, env: baseEnv }))
    stops.push(() => db.stop())
    const databaseUrl = databaseUrlFor(db, dbName)
    const created = await ensureDatabase(db, dbName)
    log(`[demo] database ${dbName} ${created ? "created" : "exists"} on ${db.host}:${db.port}`)
    // A new database knows no orders: the simulator's state of an earlier one would only confuse it.
    if (created && stateFile) fs.rmSync(stateFile, { force: true })
    if (dropOnStop) stops.push(() => dropDatabase(db, dbName)) // runs after the store stopped, before PostgreSQL

    // The simulator's request and callback lines go to a file, not the terminal (a checkout makes dozens).
    const simLogFile = path.join(logDir, "simulator.log")
    const simLog = fs.createWriteStream(simLogFile, { flags: "a" })
    simLog.on("error", () => {})
    const sim = await startSimulator({
      port: ports.simulator,
      apiTokens: [SIM_TOKEN],
      // CoinGate's 200 requests/min and 500 orders/h are off: the browser suite drives many checkouts a
      // minute through the demo store.
      rateLimitPerMinute: 0,
      orderQuotaPerHour: 0,
      log: true,
      logger: (line) => simLog.write(`${new Date().toISOString()} ${line}\n`),
      ...(stateFile ? { stateFile } : {}),
      ...simulator,
    })
    stops.push(() => new Promise((r) => simLog.end(r)))
    stops.push(() => sim.close())
    if (stateFile) log(`[demo] simulator state in ${path.relative(REPO_ROOT, stateFile)} (${sim.store.orders.size} orders kept from the last run)`)

    const env = medusaEnv({ databaseUrl, ports, simUrl: sim.url, adminDisabled, storefrontUrl, base: baseEnv })
    log(`[demo] migrating ${dbName} (medusa db:migrate)...`)
    await t("migrate", () => runMedusa(["db:migrate"], { env, logFile: path.join(logDir, "migrate.log") }))
    log(`[demo] seeding (medusa exec ./src/scripts/seed-demo.ts)...`)
    const seed = await t("seed", () => seedDemo({ env, logFile: path.join(logDir, "seed.log") }))

    log(`[demo] starting the Medusa store on port ${ports.medusa} (log: ${path.relative(REPO_ROOT, path.join(logDir, "medusa.log"))})...`)
    const medusa = await t("medusa", () => startMedusa({ env, port: ports.medusa, logFile: path.join(logDir, "medusa.log") }))
    stops.push(() => medusa.stop())

    const urls = {
      store: `http://localhost:${ports.medusa}`,
      admin: adminDisabled ? null : `http://localhost:${ports.medusa}/app`,
      simulator: sim.url,
      checkout: `http://localhost:${ports.web}`,
      storefront: storefrontUrl,
      simulatorLog: simLogFile,
    }
    const config = {
      backend_url: urls.store,
      publishable_key: seed.publishable_key,
      region_id: seed.region_id,
      admin_url: urls.admin,
    }
    if (writeConfig) {
      const file = path.join(DEMO_DIR, "config.json")
      fs.writeFileSync(file, JSON.stringify(config, null, 2) + "\n")
    }
    const web = await startStaticServer({ port: ports.web, config })
    stops.push(() => web.close())

    return { urls, seed, sim, db, dbName, databaseUrl, env, timings, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

module.exports = {
  startDemo,
  portsFromEnv,
  storefrontUrlFromEnv,
  STOREFRONT_RETURN_PATH,
  medusaEnv,
  ensureDatabase,
  dropDatabase,
  databaseUrlFor,
  runMedusa,
  seedDemo,
  startMedusa,
  startStaticServer,
  storefrontBundle,
  waitForHttp,
  REPO_ROOT,
  DEMO_DIR,
  SIM_TOKEN,
}
