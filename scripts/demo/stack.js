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
const http = require("http")
const { spawn } = require("child_process")
const { ensurePostgres, isPortFree } = require("../postgres")
const { startSimulator } = require("../../simulator")

const REPO_ROOT = path.resolve(__dirname, "../..")
const DEMO_DIR = path.join(REPO_ROOT, "demo")
const MEDUSA_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "medusa")
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

function databaseUrlFor(db, name) {
  const auth = `${encodeURIComponent(db.user)}${db.password ? `:${encodeURIComponent(db.password)}` : ""}`
  return `postgres://${auth}@${db.host}:${db.port}/${name}`
}

function pgClient(db, database = "postgres") {
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

function checkDbName(name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${name} (lower case letters, digits, _)`)
}

/** Creates the database if it does not exist. Resolves true when it was created. */
async function ensureDatabase(db, name) {
  checkDbName(name)
  const client = pgClient(db)
  await client.connect()
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
    if (rowCount > 0) return false
    await client.query(`CREATE DATABASE "${name}"`)
    return true
  } finally {
    await client.end().catch(() => {})
  }
}

async function dropDatabase(db, name) {
  checkDbName(name)
  const client = pgClient(db)
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  } finally {
    await client.end().catch(() => {})
  }
}

/** The `medusa` command of the project in `cwd` (this repository's by default). */
const medusaBinOf = (cwd) => (cwd === REPO_ROOT ? MEDUSA_BIN : path.join(cwd, "node_modules", ".bin", "medusa"))

/**
 * Runs `medusa <args>` to completion with its output in logFile. Rejects with the last
 * lines of that output when it fails. Resolves the whole output. `cwd`: the Medusa project
 * (default this repository; the compatibility suite passes its host stores).
 */
function runMedusa(args, { env, logFile, timeoutMs = 300_000, cwd = REPO_ROOT }) {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(logFile, { flags: "a" })
    out.write(`\n---- ${new Date().toISOString()} medusa ${args.join(" ")}\n`)
    const child = spawn(medusaBinOf(cwd), args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let text = ""
    const onData = (chunk) => {
      text += chunk
      out.write(chunk)
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs)
    child.on("error", (err) => {
      clearTimeout(timer)
      out.end()
      reject(err)
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      out.end()
      if (code === 0) return resolve(text)
      const tail = text.trim().split("\n").slice(-25).join("\n")
      reject(new Error(`medusa ${args.join(" ")} failed (${signal || `exit ${code}`}); see ${logFile}\n${tail}`))
    })
  })
}

/** `medusa exec ./src/scripts/seed-demo.ts`, and the JSON line it prints. */
async function seedDemo({ env, logFile, cwd = REPO_ROOT }) {
  const text = await runMedusa(["exec", "./src/scripts/seed-demo.ts"], { env, logFile, cwd })
  const line = text.split("\n").find((l) => l.startsWith("DEMO_SEED_RESULT "))
  if (!line) throw new Error(`the seed script printed no DEMO_SEED_RESULT line; see ${logFile}`)
  return JSON.parse(line.slice("DEMO_SEED_RESULT ".length))
}

/** Waits until GET url answers 200. */
async function waitForHttp(url, { timeoutMs = 120_000, child } = {}) {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`the process serving ${url} exited with code ${child.exitCode}`)
    const ok = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume()
        resolve(res.statusCode === 200)
      })
      req.on("error", () => resolve(false))
      req.setTimeout(2000, () => req.destroy())
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Starts `medusa start` in its own process group (in `cwd`, default this repository); resolves once /health answers. */
async function startMedusa({ env, port, logFile, timeoutMs = 180_000, cwd = REPO_ROOT }) {
  const out = fs.openSync(logFile, "a")
  fs.writeSync(out, `\n---- ${new Date().toISOString()} medusa start -H localhost -p ${port}\n`)
  // Only this machine may reach the demo store (-H): it has a known admin password and a test API token.
  const child = spawn(medusaBinOf(cwd), ["start", "-H", "localhost", "-p", String(port)], {
    cwd,
    env,
    stdio: ["ignore", out, out],
    detached: true,
  })
  fs.closeSync(out)
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {}
  }
  // Last resort when this process dies without stop(): do not leave the store running.
  const onExit = () => killGroup("SIGKILL")
  process.on("exit", onExit)
  const exited = new Promise((resolve) => child.once("exit", resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup("SIGTERM")
      const timer = setTimeout(() => killGroup("SIGKILL"), 10_000)
      await exited
      clearTimeout(timer)
    }
    killGroup("SIGKILL") // anything the store started and left behind
    process.removeListener("exit", onExit)
  }
  try {
    await waitForHttp(`http://localhost:${port}/health`, { timeoutMs, child })
  } catch (err) {
    await stop()
    const tail = fs.readFileSync(logFile, "utf8").trim().split("\n").slice(-25).join("\n")
    throw new Error(`${err.message}; see ${logFile}\n${tail}`)
  }
  return { child, stop }
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
}

/**
 * The package's storefront helper (src/storefront, `medusa-payment-coingate/storefront`) as one ES module
 * for the demo pages, bundled with esbuild (Vite's, a dev dependency) when the demo starts.
 */
function storefrontBundle() {
  const esbuild = require("esbuild")
  const out = esbuild.buildSync({
    entryPoints: [path.join(REPO_ROOT, "src", "storefront", "index.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
  })
  return out.outputFiles[0].text
}

/**
 * A tiny static server for demo/, answering /config.json from `config` (not from disk) and
 * /lib/coingate-storefront.js with the storefront helper.
 */
function startStaticServer({ port, root = DEMO_DIR, config, helper = storefrontBundle() }) {
  const rootReal = path.resolve(root)
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url || "/", "http://x")
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end()
      return
    }
    if (pathname === "/config.json") {
      res.writeHead(200, { "Content-Type": TYPES[".json"], "Cache-Control": "no-store" }).end(JSON.stringify(config, null, 2))
      return
    }
    if (pathname === "/lib/coingate-storefront.js") {
      res.writeHead(200, { "Content-Type": TYPES[".js"], "Cache-Control": "no-cache" }).end(req.method === "HEAD" ? undefined : helper)
      return
    }
    let file
    try {
      file = path.resolve(rootReal, "." + decodeURIComponent(pathname === "/" ? "/index.html" : pathname))
    } catch {
      res.writeHead(400).end()
      return
    }
    if (!file.startsWith(rootReal + path.sep)) {
      res.writeHead(403).end()
      return
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found")
        return
      }
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" })
      res.end(req.method === "HEAD" ? undefined : body)
    })
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "localhost", () => {
      server.removeListener("error", reject)
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((r) => {
            server.close(() => r())
            server.closeAllConnections()
          }),
      })
    })
  })
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
