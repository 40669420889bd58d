import { ChildProcess, spawn } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { Client } from "pg"

/**
 * Medusa as real child processes, for the suites that kill it (crash) or run two of it
 * (several instances): a database of their own, migrated with `medusa db:migrate`,
 * seeded with `medusa exec`, and `medusa start` processes that can be killed.
 */

export const REPO_ROOT = path.resolve(__dirname, "../../..")
const MEDUSA_CLI = path.join(REPO_ROOT, "node_modules/@medusajs/cli/cli.js")

export function dbSettings() {
  return {
    host: process.env.DB_HOST ?? "localhost",
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USERNAME ?? "postgres",
    password: process.env.DB_PASSWORD ?? "",
  }
}

export function databaseUrl(name: string) {
  const { host, port, user, password } = dbSettings()
  const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user)
  return `postgres://${auth}@${host}:${port}/${name}`
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...dbSettings(), database: "postgres" })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function createDatabase(name: string) {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await c.query(`CREATE DATABASE "${name}"`)
  })
}

export async function dropDatabase(name: string) {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined)
}

/** Runs a query on the test database (reading what the children did). */
export async function sql<T = any>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ ...dbSettings(), database })
  await client.connect()
  try {
    return (await client.query(text, params)).rows as T[]
  } finally {
    await client.end()
  }
}

/** Environment for a Medusa child: quiet, no telemetry, no admin build. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLED: "true",
    LOG_LEVEL: "info",
    ...extra,
  }
  // The jest process's VM-modules flag and test type must not leak into the children.
  delete env.NODE_OPTIONS
  delete env.TEST_TYPE
  delete env.JEST_WORKER_ID
  return env
}

/** Runs a Medusa CLI command to completion (db:migrate, exec). */
export function runCli(args: string[], { cwd, env, timeoutMs = 240_000 }: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MEDUSA_CLI, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    child.stdout.on("data", (c) => (out += c))
    child.stderr.on("data", (c) => (out += c))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.on("exit", (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`medusa ${args.join(" ")} exited with ${code}:\n${out.slice(-4000)}`))
    })
  })
}

export type MedusaChild = {
  name: string
  port: number
  url: string
  process: ChildProcess
  /** Everything the process printed. */
  output: () => string
  kill: (signal?: NodeJS.Signals) => Promise<void>
  exited: () => boolean
}

/** `medusa start` in `cwd` on `port`; resolves once /health answers. */
export async function startMedusa({ name, cwd, port, env, readyTimeoutMs = 120_000 }: { name: string; cwd: string; port: number; env: NodeJS.ProcessEnv; readyTimeoutMs?: number }): Promise<MedusaChild> {
  const child = spawn(process.execPath, [MEDUSA_CLI, "start"], { cwd, env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let exited = false
  const echo = !!process.env.SOAK_ECHO
  const collect = (c: Buffer) => {
    out += c.toString()
    if (echo) process.stdout.write(c.toString().replace(/^/gm, `[${name}] `))
  }
  child.stdout!.on("data", collect)
  child.stderr!.on("data", collect)
  const exit = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())))
  const url = `http://127.0.0.1:${port}`
  const until = Date.now() + readyTimeoutMs
  for (;;) {
    if (exited) throw new Error(`${name} exited during boot:\n${out.slice(-4000)}`)
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > until) {
      child.kill("SIGKILL")
      throw new Error(`${name} did not answer /health within ${readyTimeoutMs} ms:\n${out.slice(-4000)}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  return {
    name,
    port,
    url,
    process: child,
    output: () => out,
    exited: () => exited,
    kill: async (signal = "SIGKILL") => {
      if (!exited) child.kill(signal)
      await exit
    },
  }
}

/**
 * Seeds the store in `database` through `medusa exec` (a region with the CoinGate
 * provider, a sales channel, a publishable key, and `carts` guest carts) and returns what
 * integration-tests/soak/lib/seed-script.ts wrote.
 */
export async function seedThroughExec({ cwd, env, carts, amounts }: { cwd: string; env: NodeJS.ProcessEnv; carts: number; amounts?: number[] }) {
  const out = path.join(os.tmpdir(), `coingate-seed-${process.pid}-${Date.now()}.json`)
  const script = path.relative(cwd, path.join(REPO_ROOT, "integration-tests/soak/lib/seed-script.ts"))
  await runCli(["exec", script], { cwd, env: { ...env, SEED_OUT: out, SEED_CARTS: String(carts), SEED_AMOUNTS: (amounts ?? []).join(",") } })
  const seeded = JSON.parse(fs.readFileSync(out, "utf8"))
  fs.rmSync(out, { force: true })
  return seeded as { regionId: string; salesChannelId: string; headers: { "x-publishable-api-key": string }; carts: string[] }
}

/** What a storefront does on a child: a payment collection for the cart, then a CoinGate session. */
export async function startPaymentOn(url: string, headers: Record<string, string>, cartId: string) {
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${url}${p}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) })
    const json: any = await res.json().catch(() => ({}))
    if (!res.ok) throw new Error(`POST ${p}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const pc = await post("/store/payment-collections", { cart_id: cartId })
  const withSession = await post(`/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, { provider_id: "pp_coingate_coingate", data: {} })
  const session = withSession.payment_collection.payment_sessions.find((s: any) => s.provider_id === "pp_coingate_coingate")
  return { sessionId: session.id as string, coingateOrderId: Number(session.data.coingate_order_id) }
}

/** Orders, payments and captures of a payment session, read straight from the database. */
export async function figuresFromDb(database: string, sessionId: string, cartId: string) {
  const payments = await sql(database, `select p.id, p.captured_at, (select count(*)::int from capture c where c.payment_id = p.id and c.deleted_at is null) as captures from payment p where p.payment_session_id = $1 and p.deleted_at is null`, [sessionId])
  const orders = await sql(database, `select o.id, o.status from order_cart oc join "order" o on o.id = oc.order_id where oc.cart_id = $1 and oc.deleted_at is null`, [cartId])
  const [session] = await sql(database, `select status from payment_session where id = $1`, [sessionId])
  // The captures in the orders' books (what the order's paid total is made of).
  const transactions = await sql(database, `select count(*)::int as n from order_transaction where order_id = any($1) and reference = 'capture' and deleted_at is null`, [orders.map((o: any) => o.id)])
  return {
    orders: orders.length,
    orderId: (orders[0]?.id as string | undefined) ?? null,
    orderStatus: orders[0]?.status ?? null,
    payments: payments.length,
    captures: payments.reduce((n: number, p: any) => n + p.captures, 0),
    captured: payments.some((p: any) => !!p.captured_at),
    captureTransactions: transactions[0]?.n ?? 0,
    sessionStatus: session?.status ?? null,
  }
}
