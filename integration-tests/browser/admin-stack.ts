import { ChildProcess, spawn } from "child_process"
import crypto from "crypto"
import fs from "fs"
import http from "http"
import path from "path"
import { freePort, REPO_ROOT } from "../helpers/stack"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../simulator")

/**
 * The development store as a person runs it, for a browser test: a fresh database
 * (`medusa db:migrate` and `medusa user`, or a copy of a database they made before),
 * `medusa start` from the repository root (as a child process: Medusa's test runner
 * disables the admin), the CoinGate simulator, and the store's real Medusa admin
 * (dashboard + `src/admin`) built by Medusa's bundler.
 *
 * The admin is built into a private folder (build-admin.js, cached across runs) and served
 * with Medusa's own production handler (`serve` of @medusajs/admin-bundler) under `/app` of
 * a small front server that passes every other path to the backend. The browser sees one
 * origin, as with `medusa start` serving its own admin, and nothing is written to the
 * repository's `.medusa/` or `public/`.
 */

export const ARTIFACTS = path.join(REPO_ROOT, "integration-tests/.artifacts")
export const ADMIN_BUILD_DIR = path.join(ARTIFACTS, "admin-build")
export const SIM_TOKEN = "sim_browser_token"
export const ADMIN_EMAIL = "admin@example.com"
export const ADMIN_PASSWORD = "supersecret"

export type AdminStack = {
  /** The origin the browser uses: the admin at `${url}/app`, the API at `${url}/admin`, `/store`, ... */
  url: string
  /** The Medusa backend itself. */
  backendUrl: string
  sim: any
  databaseName: string
  logFile: string
  stop(): Promise<void>
}

type Log = (line: string) => void

function dbConfig() {
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
  }
}

function databaseUrl(name: string) {
  const c = dbConfig()
  const auth = c.password ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` : encodeURIComponent(c.user)
  return `postgres://${auth}@${c.host}:${c.port}/${name}`
}

async function adminDb<T = any>(fn: (client: any) => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Client } = require("pg")
  const client = new Client({ ...dbConfig(), database: process.env.DB_WAITINGROOM_DATABASE || "postgres" })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const TEMPLATE_PREFIX = "medusa_coingate_browser_tpl_"

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? listFiles(p) : [p]
  })
}

/**
 * A migrated database with the admin user is kept as a template (named after what decides
 * its schema: Medusa's version, the store's config, the plugin's migrations and links), so
 * that each run gets a fresh copy in a second instead of migrating for half a minute.
 */
function templateName(): string {
  const hash = crypto.createHash("sha256")
  for (const pkg of ["@medusajs/medusa", "@medusajs/framework"]) {
    hash.update(fs.readFileSync(path.join(REPO_ROOT, "node_modules", pkg, "package.json")))
  }
  hash.update(fs.readFileSync(path.join(REPO_ROOT, "medusa-config.ts")))
  const schemaFiles = listFiles(path.join(REPO_ROOT, "src")).filter((f) => /[\\/](migrations|links)[\\/]/.test(f))
  for (const file of schemaFiles.sort()) hash.update(path.relative(REPO_ROOT, file)).update(fs.readFileSync(file))
  hash.update(`${ADMIN_EMAIL}:${ADMIN_PASSWORD}`)
  return `${TEMPLATE_PREFIX}${hash.digest("hex").slice(0, 16)}`
}

async function templateReady(name: string): Promise<boolean> {
  const { rows } = await adminDb((c) =>
    c.query("SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1", [name])
  )
  return rows[0]?.note === "ready"
}

async function saveTemplate(from: string, name: string, log: Log) {
  try {
    await adminDb(async (c) => {
      const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2", [`${TEMPLATE_PREFIX}%`, name])
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`)
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await c.query(`CREATE DATABASE "${name}" TEMPLATE "${from}"`)
      await c.query(`COMMENT ON DATABASE "${name}" IS 'ready'`)
    })
    log(`kept ${name} as the template of later runs`)
  } catch (e: any) {
    // Another run made it at the same time, or the server refused: the next run migrates again.
    log(`could not keep a template database: ${e.message}`)
  }
}

const MEDUSA_CLI = path.join(REPO_ROOT, "node_modules/@medusajs/cli/cli.js")

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  // Not jest's: the store runs as in development (TypeScript config and routes through ts-node).
  env.NODE_ENV = "development"
  delete env.NODE_OPTIONS
  delete env.JEST_WORKER_ID
  delete env.TEST_TYPE
  return env
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv, logStream: fs.WriteStream, { keepAlive = false } = {}) {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((l) => `[${name}] ${l}\n`)
      .join("")
  child.stdout!.on("data", (c) => logStream.write(prefix(c)))
  child.stderr!.on("data", (c) => logStream.write(prefix(c)))
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", reject)
    child.on("exit", (code, signal) => {
      if (keepAlive) return
      code === 0 ? resolve() : reject(new Error(`${name} exited with ${code ?? signal}; see ${logStream.path}`))
    })
  })
  return { child, done }
}

async function stopChild(child: ChildProcess | null, timeoutMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once("exit", r))
  child.kill("SIGTERM")
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
  await exited
  clearTimeout(timer)
}

async function waitForHttp(url: string, { timeoutMs = 90_000, failed }: { timeoutMs?: number; failed?: () => Error | null } = {}) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const err = failed?.()
    if (err) throw err
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume()
        resolve((res.statusCode ?? 500) < 500)
      })
      req.on("error", () => resolve(false))
      req.setTimeout(2000, () => {
        req.destroy()
        resolve(false)
      })
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

/** One origin: the built admin under /app (Medusa's own handler), everything else passed to the backend. */
async function startFrontServer(port: number, backendPort: number, adminDir: string): Promise<http.Server> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const express = require("express")
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { serve } = require("@medusajs/admin-bundler")
  const app = express()
  app.disable("x-powered-by")
  app.use("/app", await serve({ outDir: adminDir, path: "/app" }))
  app.use((req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request(
      { host: "127.0.0.1", port: backendPort, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      }
    )
    upstream.on("error", (e) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" })
      res.end(`backend unreachable: ${e.message}`)
    })
    req.pipe(upstream)
  })
  const server = http.createServer(app)
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()))
  return server
}

export async function startAdminStack({ log = () => {} }: { log?: Log } = {}): Promise<AdminStack> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const stamp = `${Date.now()}`
  const logFile = path.join(ARTIFACTS, `admin-browser-${stamp}.log`)
  const logStream = fs.createWriteStream(logFile)
  const [backendPort, frontPort] = [await freePort(), await freePort()]
  const url = `http://localhost:${frontPort}`
  const backendUrl = `http://localhost:${backendPort}`
  const databaseName = `medusa_coingate_admin_browser_${stamp}`

  let server: ChildProcess | null = null
  let front: http.Server | null = null
  const sim = await startSimulator({
    apiTokens: [SIM_TOKEN],
    // Callbacks and retries fast; invoices stay payable long enough to look at them.
    timeScale: 0.001,
    pendingTtlMs: 30 * 60_000,
    newOrderTtlMs: 60 * 60_000,
    callbackTimeoutMs: 20_000,
    // CoinGate's 200 requests/min and 500 orders/h are off: the suite drives far more than a store does.
    rateLimitPerMinute: 0,
    orderQuotaPerHour: 0,
  })

  // Every step runs even when an earlier one fails, so that no server, port or database is left behind.
  const stop = async () => {
    const step = async (what: string, fn: () => unknown) => {
      try {
        await fn()
      } catch (e: any) {
        log(`stopping: ${what} failed: ${e?.message ?? e}`)
      }
    }
    await step("medusa start", () => stopChild(server))
    await step("front server", () => {
      front?.closeAllConnections?.()
      return new Promise((r) => (front ? front.close(r) : r(undefined)))
    })
    await step("simulator", () => sim.close())
    await step(`dropping ${databaseName}`, () => adminDb((c) => c.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)))
    logStream.end()
  }

  try {
    const env = childEnv({
      DATABASE_URL: databaseUrl(databaseName),
      PORT: String(backendPort),
      // The admin comes from the build below; the backend does not build or serve one.
      MEDUSA_ADMIN_DISABLED: "true",
      // The public URL of the store is the front server (callbacks reach the backend through it).
      BACKEND_URL: url,
      ADMIN_CORS: `${url},${backendUrl}`,
      AUTH_CORS: `${url},${backendUrl}`,
      COINGATE_API_URL: sim.url,
      COINGATE_API_TOKEN: SIM_TOKEN,
      COINGATE_SANDBOX: "true",
      COINGATE_SUCCESS_URL: "http://localhost:8000/checkout/coingate/{cart_id}",
      COINGATE_CANCEL_URL: "http://localhost:8000/checkout",
      LOG_LEVEL: process.env.LOG_LEVEL || "info",
    })

    const t0 = Date.now()
    // The admin build (about 90 s on two cores, skipped when cached) runs while the database is prepared.
    const build = run("admin-build", [path.join(__dirname, "build-admin.js"), ADMIN_BUILD_DIR], childEnv({}), logStream)
    const template = templateName()
    if (await templateReady(template)) {
      await adminDb((c) => c.query(`CREATE DATABASE "${databaseName}" TEMPLATE "${template}"`))
      log(`database ${databaseName} copied from ${template} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    } else {
      await adminDb((c) => c.query(`CREATE DATABASE "${databaseName}"`))
      await run("db:migrate", [MEDUSA_CLI, "db:migrate"], env, logStream).done
      await run("user", [MEDUSA_CLI, "user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], env, logStream).done
      log(`migrated ${databaseName} and created the admin in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      await saveTemplate(databaseName, template, log)
    }

    const started = run("start", [MEDUSA_CLI, "start"], env, logStream, { keepAlive: true })
    server = started.child
    let serverExit: Error | null = null
    server.on("exit", (code, signal) => {
      serverExit = new Error(`medusa start exited with ${code ?? signal}; see ${logFile}`)
    })
    await waitForHttp(`${backendUrl}/health`, { failed: () => serverExit })
    log(`backend up on ${backendUrl} after ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    await build.done
    log(`admin ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    front = await startFrontServer(frontPort, backendPort, ADMIN_BUILD_DIR)
    await waitForHttp(`${url}/app`)
    return { url, backendUrl, sim, databaseName, logFile, stop }
  } catch (e) {
    await stop().catch(() => undefined)
    throw e
  }
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium"

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]
