import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { ConsoleFilters } from "./filters"

/**
 * The admin console's reads of `coingate_payment` (docs/admin.md): one filter function for the list, its
 * count, the totals and the export, so they always select the same records. Parameterised knex queries
 * on Medusa's own connection (`PG_CONNECTION`); the indexes they use are declared on the model
 * (src/modules/coingate/models/coingate-payment.ts).
 */

const TABLE = "coingate_payment"

/** What a console row is made of: the record's columns, and from the snapshot only the few fields shown (never the token). */
export type ConsoleRecord = {
  id: string
  coingate_order_id: string
  payment_session_id: string
  provider_id: string
  cart_id: string | null
  email: string | null
  order_id: string | null
  order_display_id: number | null
  status: string
  medusa_state: string
  price_amount: string | null
  price_currency: string | null
  pay_amount: string | null
  pay_currency: string | null
  underpaid_amount: string | null
  overpaid_amount: string | null
  payment_url: string | null
  attention: string | null
  attention_note: string | null
  last_callback_at: Date | null
  last_synced_at: Date | null
  created_at: Date
}

function db(container: MedusaContainer): Knex {
  return container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
}

/**
 * The columns of a console row. An amount is the exact raw value, else the numeric column (rows written by
 * SQL alone, such as a benchmark's seed), else the snapshot's (rows saved before these columns existed).
 */
function selectRow(k: Knex) {
  return [
    "id",
    "coingate_order_id",
    "payment_session_id",
    "provider_id",
    "cart_id",
    "email",
    "order_id",
    "order_display_id",
    "status",
    "medusa_state",
    k.raw(`coalesce("raw_price_amount"->>'value', "price_amount"::text, "snapshot"->>'price_amount') as price_amount`),
    k.raw(`coalesce("price_currency", upper("snapshot"->>'price_currency')) as price_currency`),
    k.raw(`coalesce("raw_pay_amount"->>'value', "pay_amount"::text, "snapshot"->>'pay_amount') as pay_amount`),
    k.raw(`coalesce("pay_currency", upper("snapshot"->>'pay_currency')) as pay_currency`),
    k.raw(`"snapshot"->>'underpaid_amount' as underpaid_amount`),
    k.raw(`"snapshot"->>'overpaid_amount' as overpaid_amount`),
    k.raw(`"snapshot"->>'payment_url' as payment_url`),
    "attention",
    "attention_note",
    "last_callback_at",
    "last_synced_at",
    "created_at",
  ]
}

/** The WHERE of every console query. Each filter has an index with created_at behind it. */
export function applyFilters(qb: Knex.QueryBuilder, f: ConsoleFilters): Knex.QueryBuilder {
  qb.whereNull("deleted_at")
  if (f.attention === true) qb.whereNotNull("attention")
  if (f.attention === false) qb.whereNull("attention")
  if (f.status?.length) qb.whereIn("status", f.status)
  if (f.medusa_state?.length) qb.whereIn("medusa_state", f.medusa_state)
  if (f.created_from) qb.where("created_at", ">=", f.created_from)
  if (f.created_to) qb.where("created_at", "<", f.created_to)
  if (f.price_currency) qb.where("price_currency", f.price_currency)
  if (f.pay_currency) qb.where("pay_currency", f.pay_currency)
  if (f.q) {
    const q = f.q
    // "#12" and "12" both find order 12; display ids are PostgreSQL integers.
    const displayId = /^#?\d{1,9}$/.test(q) ? Number(q.replace("#", "")) : null
    qb.where((or) => {
      or.where("coingate_order_id", q).orWhere("cart_id", q).orWhere("email", q.toLowerCase())
      if (displayId !== null) or.orWhere("order_display_id", displayId)
    })
  }
  return qb
}

/** One page, newest first, with the count of the same filters and the number of flagged records (whatever the filters). */
export async function listConsolePage(container: MedusaContainer, filters: ConsoleFilters, page: { limit: number; offset: number }) {
  const k = db(container)
  const [rows, [{ count }], [{ count: attention }]] = await Promise.all([
    applyFilters(k(TABLE).select(selectRow(k)), filters).orderBy([
      { column: "created_at", order: "desc" },
      { column: "id", order: "desc" },
    ]).limit(page.limit).offset(page.offset),
    applyFilters(k(TABLE).count({ count: "*" }), filters),
    k(TABLE).count({ count: "*" }).whereNull("deleted_at").whereNotNull("attention"),
  ])
  return { records: rows as ConsoleRecord[], count: Number(count), attentionCount: Number(attention) }
}

/** Where an export page ends: created_at as PostgreSQL's exact text (microseconds; a JS Date would cut them) and the id. */
export type ConsoleCursor = { created_at: string; id: string }

/** Records after `after` (newest first), `size` at a time: keyset pagination, so a page costs the same at any depth. */
export async function consolePageAfter(
  container: MedusaContainer,
  filters: ConsoleFilters,
  after: ConsoleCursor | null,
  size: number
): Promise<{ records: ConsoleRecord[]; next: ConsoleCursor | null }> {
  const k = db(container)
  const qb = applyFilters(k(TABLE).select([...selectRow(k), k.raw(`"created_at"::text as cursor_at`)]), filters)
  if (after) qb.whereRaw(`("created_at", "id") < (?::timestamptz, ?)`, [after.created_at, after.id])
  const rows = (await qb.orderBy([
    { column: "created_at", order: "desc" },
    { column: "id", order: "desc" },
  ]).limit(size)) as (ConsoleRecord & { cursor_at: string })[]
  const last = rows[rows.length - 1]
  return { records: rows, next: rows.length === size && last ? { created_at: last.cursor_at, id: last.id } : null }
}

export type TotalsGroup = { status: string | null; currency: string | null; count: number; amount: string | null; byStatus: boolean; byCurrency: boolean }

/**
 * Count and exact sum of price amounts, per status and currency, per status, per currency and overall:
 * one GROUP BY GROUPING SETS in SQL. The sum is of the exact raw value (numeric), never a float.
 */
export async function consoleTotals(container: MedusaContainer, filters: ConsoleFilters): Promise<TotalsGroup[]> {
  const k = db(container)
  const rows = await applyFilters(
    k(TABLE).select(
      "status",
      k.raw(`"price_currency" as currency`),
      k.raw(`grouping("status") = 0 as by_status`),
      k.raw(`grouping("price_currency") = 0 as by_currency`),
      k.raw(`count(*)::int as count`),
      k.raw(`sum(coalesce("raw_price_amount"->>'value', "price_amount"::text)::numeric)::text as amount`)
    ),
    filters
  ).groupByRaw(`grouping sets (("status", "price_currency"), ("status"), ("price_currency"), ())`)
  return (rows as any[]).map((r) => ({
    status: r.status ?? null,
    currency: r.currency ?? null,
    count: Number(r.count),
    amount: r.amount ?? null,
    byStatus: !!r.by_status,
    byCurrency: !!r.by_currency,
  }))
}
