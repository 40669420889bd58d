import { randomBytes } from "crypto"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ulidTime } from "../src/payments/rules/reconcile-selection"
import { CoinGateClient } from "../src/coingate/client"
import { type BudgetLimits, DEFAULT_RECONCILE_REQUESTS_PER_MINUTE, SharedRequestBudget } from "../src/coingate/request-budget"
import { coingateGateway } from "../src/gateway/index"
import { reconcileOnce } from "../src/sources/reconcile"

/**
 * 3. Reconciliation, inside the Medusa process: `npx medusa exec bench/reconcile-pass.ts`
 * with BENCH_RECONCILE_PLAN (JSON) set by bench/run.js; prints one line
 * `BENCH_RECONCILE_RESULT {json}`.
 *
 * Seeds `past` finished CoinGate payment sessions straight into the database (bulk SQL:
 * payment collections, sessions and the plugin's records, ids whose ULID time matches
 * their creation time, spread over 30 days), then runs each scenario on a fresh set of
 * `open` sessions whose CoinGate orders exist in the simulator:
 *   - half have a record due now (status `new`, next_check_at a minute ago), half have
 *     none (created 10-60 minutes ago, so the pass finds them by the session query);
 *   - of their orders, `paidShare` are paid at CoinGate (a lost callback: the pass
 *     captures them), about 40 % pending (coin chosen), the rest new.
 * Each scenario runs `reconcileOnce` once with a fresh request budget of `budget`
 * requests ("default" = the plugin's default share per minute), counts the CoinGate
 * requests the simulator saw during the pass, then retires its open set (sessions
 * canceled, records no longer due) so the next scenario starts from the same state.
 */

type Scenario = { label: string; open: number; budget: "default" | "unlimited" | number; maxDurationMs?: number }
type Plan = {
  simUrl: string
  providerId?: string
  past: number
  paidShare?: number
  scenarios: Scenario[]
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const AMOUNT = 12.9
const PRICE = "12.90"

function idAt(prefix: string, ms: number): string {
  const bytes = randomBytes(16)
  let rand = ""
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i] % 32]
  return `${prefix}_${ulidTime(ms)}${rand}`
}

const raw = (n: number) => JSON.stringify({ value: String(n), precision: 20 })

async function insertChunked(knex: any, table: string, rows: any[], size = 1000) {
  for (let i = 0; i < rows.length; i += size) await knex(table).insert(rows.slice(i, i + size))
}

async function simStats(simUrl: string): Promise<{ requests: number; byRoute: Record<string, number> }> {
  const res = await fetch(`${simUrl}/__sim/stats`)
  return (await res.json()) as any
}

async function simSetStatus(simUrl: string, id: number, status: string) {
  const res = await fetch(`${simUrl}/__sim/orders/${id}/status`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status, callback: false }),
  })
  if (res.status !== 200) throw new Error(`simulator: setting order ${id} ${status} answered ${res.status}`)
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        await fn(items[i], i)
      }
    })
  )
}

/** `past` finished sessions: captured (70 %), expired long ago (20 %), abandoned over 48 h ago without any record (10 %). */
async function seedPast(knex: any, providerId: string, past: number, now: number) {
  const collections: any[] = []
  const sessions: any[] = []
  const records: any[] = []
  for (let i = 0; i < past; i++) {
    const kind = i % 10 < 7 ? "captured" : i % 10 < 9 ? "expired" : "abandoned"
    const ageMs = kind === "captured" ? ((i * 7919) % (30 * DAY)) + MINUTE * 10 : 3 * DAY + ((i * 7919) % (27 * DAY))
    const created = new Date(now - ageMs)
    const pcolId = idAt("pay_col", created.getTime())
    const sessionId = idAt("payses", created.getTime())
    const coingateOrderId = 10_000_000 + i
    const status = kind === "captured" ? "authorized" : kind === "expired" ? "canceled" : "pending"
    collections.push({
      id: pcolId,
      currency_code: "eur",
      amount: AMOUNT,
      raw_amount: raw(AMOUNT),
      status: kind === "captured" ? "completed" : "not_paid",
      created_at: created,
      updated_at: created,
    })
    sessions.push({
      id: sessionId,
      currency_code: "eur",
      amount: AMOUNT,
      raw_amount: raw(AMOUNT),
      provider_id: providerId,
      data: JSON.stringify({
        session_id: sessionId,
        coingate_order_id: coingateOrderId,
        coingate_status: kind === "captured" ? "paid" : kind === "expired" ? "expired" : "new",
        price_amount: PRICE,
        price_currency: "EUR",
      }),
      status,
      authorized_at: kind === "captured" ? created : null,
      payment_collection_id: pcolId,
      created_at: created,
      updated_at: created,
    })
    if (kind !== "abandoned") {
      const st = kind === "captured" ? "paid" : "expired"
      records.push({
        id: idAt("cgpay", created.getTime()),
        coingate_order_id: String(coingateOrderId),
        payment_session_id: sessionId,
        provider_id: providerId,
        status: st,
        history: JSON.stringify([{ status: "new", at: created.toISOString(), source: "return" }, { status: st, at: created.toISOString(), source: "callback" }]),
        snapshot: null,
        medusa_state: kind === "captured" ? "captured" : "canceled",
        last_synced_at: created,
        last_callback_at: created,
        next_check_at: null,
        created_at: created,
        updated_at: created,
      })
    }
  }
  await insertChunked(knex, "payment_collection", collections)
  await insertChunked(knex, "payment_session", sessions)
  await insertChunked(knex, "coingate_payment", records)
  return { sessions: sessions.length, records: records.length }
}

/** A fresh set of `open` sessions with their orders at the simulator. */
async function seedOpen(container: MedusaContainer, knex: any, plan: Plan, providerId: string, open: number, now: number) {
  const gateway = coingateGateway(container, providerId)
  const paidShare = plan.paidShare ?? 0.1
  const items = Array.from({ length: open }, (_, i) => {
    const created = now - 10 * MINUTE - ((i * 37_003) % (50 * MINUTE))
    return { i, created, sessionId: idAt("payses", created), pcolId: idAt("pay_col", created), orderId: 0, status: "new" }
  })
  const paidEvery = paidShare > 0 ? Math.round(1 / paidShare) : 0
  await pool(items, 16, async (item) => {
    const order = await gateway.createOrder(item.sessionId, AMOUNT, "eur", {})
    item.orderId = order.id
    // Paid ones among both halves (with and without a record): sessions 0, 1, 20, 21, ... at 10 %.
    item.status = paidEvery && Math.floor(item.i / 2) % paidEvery === 0 ? "paid" : item.i % 5 < 2 ? "pending" : "new"
    if (item.status !== "new") await simSetStatus(plan.simUrl, order.id, item.status)
  })
  await insertChunked(
    knex,
    "payment_collection",
    items.map((it) => ({ id: it.pcolId, currency_code: "eur", amount: AMOUNT, raw_amount: raw(AMOUNT), status: "not_paid", created_at: new Date(it.created), updated_at: new Date(it.created) }))
  )
  await insertChunked(
    knex,
    "payment_session",
    items.map((it) => ({
      id: it.sessionId,
      currency_code: "eur",
      amount: AMOUNT,
      raw_amount: raw(AMOUNT),
      provider_id: providerId,
      data: JSON.stringify({ session_id: it.sessionId, coingate_order_id: it.orderId, coingate_status: "new", price_amount: PRICE, price_currency: "EUR" }),
      status: "pending",
      payment_collection_id: it.pcolId,
      created_at: new Date(it.created),
      updated_at: new Date(it.created),
    }))
  )
  // Half of them have a record that is due (the plugin saw `new`, e.g. on the shopper's first return).
  await insertChunked(
    knex,
    "coingate_payment",
    items
      .filter((it) => it.i % 2 === 1)
      .map((it) => ({
        id: idAt("cgpay", it.created),
        coingate_order_id: String(it.orderId),
        payment_session_id: it.sessionId,
        provider_id: providerId,
        status: "new",
        history: JSON.stringify([{ status: "new", at: new Date(it.created).toISOString(), source: "return" }]),
        snapshot: null,
        medusa_state: "pending",
        last_synced_at: new Date(it.created),
        next_check_at: new Date(now - MINUTE),
        created_at: new Date(it.created),
        updated_at: new Date(it.created),
      }))
  )
  return items
}

async function retire(knex: any, sessionIds: string[]) {
  await knex("payment_session").whereIn("id", sessionIds).update({ status: "canceled" })
  await knex("coingate_payment").whereIn("payment_session_id", sessionIds).update({ next_check_at: null })
}

export default async function reconcileBench({ container }: ExecArgs) {
  const plan = JSON.parse(process.env.BENCH_RECONCILE_PLAN || "{}") as Plan
  if (!plan.simUrl) throw new Error("BENCH_RECONCILE_PLAN is not set (run through `npm run bench`)")
  const providerId = plan.providerId ?? "pp_coingate_coingate"
  const knex: any = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const out: any = { past: null, seedPastMs: 0, scenarios: [] as any[], defaultBudget: DEFAULT_RECONCILE_REQUESTS_PER_MINUTE }

  let t = Date.now()
  out.past = await seedPast(knex, providerId, plan.past, Date.now())
  out.seedPastMs = Date.now() - t
  await knex.raw("ANALYZE payment_session; ANALYZE coingate_payment; ANALYZE payment_collection")
  const [{ count: totalSessions }] = (await knex("payment_session").count("id as count")) as any
  out.totalSessions = Number(totalSessions)

  // Each pass starts with a fresh per-process CoinGate budget (as if a minute had passed since the last
  // pass); "unlimited" lifts it too, to show what the whole backlog costs. Seeding is not counted.
  const gateway = coingateGateway(container, providerId)
  const clientWith = (limits: Partial<BudgetLimits>) =>
    new CoinGateClient({ apiOrigin: gateway.apiOrigin, apiToken: String(gateway.rawOptions.apiToken), timeoutMs: 10_000, budget: new SharedRequestBudget(limits) })
  const UNLIMITED: BudgetLimits = { total: 1e9, callbackReserve: 0, checkout: 1e9, public: 1e9, admin: 1e9, reconcile: 1e9 }
  const realClient = gateway.client

  for (const sc of plan.scenarios) {
    const now = Date.now()
    t = Date.now()
    gateway.client = clientWith(UNLIMITED)
    const items = sc.open ? await seedOpen(container, knex, plan, providerId, sc.open, now) : []
    const seedMs = Date.now() - t
    const budget = sc.budget === "default" ? DEFAULT_RECONCILE_REQUESTS_PER_MINUTE : sc.budget === "unlimited" ? 1_000_000 : sc.budget
    gateway.client = clientWith(sc.budget === "unlimited" ? UNLIMITED : {})
    const before = await simStats(plan.simUrl)
    const t0 = process.hrtime.bigint()
    const figures = await reconcileOnce(container, { budget, maxDurationMs: sc.maxDurationMs ?? 300_000 })
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
    const after = await simStats(plan.simUrl)
    const byRoute: Record<string, number> = {}
    for (const [route, n] of Object.entries(after.byRoute)) {
      const d = n - (before.byRoute[route] ?? 0)
      if (d) byRoute[route] = d
    }
    const paidIds = items.filter((it) => it.status === "paid").map((it) => it.sessionId)
    const captured = paidIds.length
      ? Number(
          ((await knex("payment").whereIn("payment_session_id", paidIds).whereNotNull("captured_at").count("id as count")) as any)[0].count
        )
      : 0
    out.scenarios.push({
      label: sc.label,
      open: sc.open,
      openPaid: paidIds.length,
      budget,
      budgetLabel: sc.budget,
      seedMs,
      wallMs,
      figures,
      simRequests: after.requests - before.requests,
      simByRoute: byRoute,
      capturedOfPaid: captured,
    })
    if (items.length) await retire(knex, items.map((it) => it.sessionId))
    process.stdout.write(`[bench] reconcile ${sc.label}: ${JSON.stringify(out.scenarios[out.scenarios.length - 1])}\n`)
  }
  gateway.client = realClient
  process.stdout.write(`BENCH_RECONCILE_RESULT ${JSON.stringify(out)}\n`)
}
