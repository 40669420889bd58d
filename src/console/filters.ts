import { z } from "@medusajs/framework/zod"
import { COINGATE_STATUSES } from "../coingate/types"
import type { MedusaState } from "../payments/rules/plan"
import {
  booleanText,
  checkRange,
  commaList,
  DAY_MS,
  DEFAULT_LIMIT,
  isoDate,
  knownKeys,
  limit,
  MAX_LIMIT,
  MAX_OFFSET,
  MAX_RANGE_DAYS,
  offset,
  parseQuery,
  pattern,
  text,
} from "../shared/query-params"

/**
 * The admin console's query parameters (docs/admin.md, "Operations console API"): checked here once for
 * the list, the totals and the CSV export, so the three always agree on what a filter means. Anything
 * unknown or malformed is a 400 naming the parameter; nothing reaches SQL unchecked. Dates, ranges,
 * limit and offset follow the rules the callback log follows too (src/shared/query-params.ts).
 */

export type ConsoleKind = "list" | "totals" | "export"

export type ConsoleFilters = {
  attention?: boolean
  status?: string[]
  medusa_state?: string[]
  /** Inclusive. */
  created_from?: Date
  /** Exclusive (a date-only `created_to` means the end of that day). */
  created_to?: Date
  price_currency?: string
  pay_currency?: string
  /** Exact CoinGate order id, Medusa order display id, cart id, or shopper email (any case). */
  q?: string
}

export type ConsoleQuery = { filters: ConsoleFilters; limit: number; offset: number }

export const MEDUSA_STATES: readonly MedusaState[] = ["pending", "awaiting_payment", "captured", "canceled", "failed", "orphaned", "mismatch"]
export { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_RANGE_DAYS }
/** The totals' period when none is given. */
export const DEFAULT_TOTALS_DAYS = 30

const FILTER_KEYS = ["attention", "status", "medusa_state", "created_from", "created_to", "price_currency", "pay_currency", "q"] as const
const KEYS: Record<ConsoleKind, readonly string[]> = {
  list: [...FILTER_KEYS, "limit", "offset"],
  totals: FILTER_KEYS,
  export: FILTER_KEYS,
}

const currency = (name: string) => pattern(name, /^[A-Za-z0-9]{2,10}$/, "a currency code such as EUR or BTC")

/**
 * The console's query for `kind`, as a zod schema for `validateAndTransformQuery` (src/api/middlewares.ts),
 * on the rules every admin list shares (src/shared/query-params.ts). The list gets `limit` (1..100, default
 * 20) and `offset`; the totals' period defaults to the last 30 days. Its output is a `ConsoleQuery`.
 */
export function consoleQuerySchema(kind: ConsoleKind, now: () => Date = () => new Date()) {
  const list = kind === "list" ? { limit: limit(), offset: offset() } : {}
  return z
    .looseObject({
      attention: booleanText("attention"),
      status: commaList("status", COINGATE_STATUSES, true),
      medusa_state: commaList("medusa_state", MEDUSA_STATES, true),
      created_from: isoDate("created_from", false),
      created_to: isoDate("created_to", true),
      price_currency: currency("price_currency"),
      pay_currency: currency("pay_currency"),
      q: text("q", 200),
      ...list,
    })
    .superRefine(knownKeys(KEYS[kind]))
    .transform((v, ctx): ConsoleQuery => {
      const at = now()
      const filters: ConsoleFilters = {
        attention: v.attention,
        status: v.status,
        medusa_state: v.medusa_state,
        created_from: v.created_from,
        created_to: v.created_to,
        price_currency: v.price_currency?.toUpperCase(),
        pay_currency: v.pay_currency?.toUpperCase(),
        q: v.q,
      }
      if (kind === "totals") {
        filters.created_to ??= at
        filters.created_from ??= new Date(filters.created_to.getTime() - DEFAULT_TOTALS_DAYS * DAY_MS)
      }
      checkRange(ctx, ["created_from", "created_to"], filters.created_from, filters.created_to, at)
      for (const k of Object.keys(filters) as (keyof ConsoleFilters)[]) if (filters[k] === undefined) delete filters[k]
      const page = v as { limit?: number; offset?: number }
      return { filters, limit: kind === "list" ? page.limit ?? DEFAULT_LIMIT : 0, offset: kind === "list" ? page.offset ?? 0 : 0 }
    })
}

/** Parses the console's query string for `kind` outside the middleware (the same schema, the same 400). */
export function parseConsoleQuery(query: Record<string, unknown>, kind: ConsoleKind, now = new Date()): ConsoleQuery {
  return parseQuery(consoleQuerySchema(kind, () => now), query)
}
