import { MedusaError } from "@medusajs/framework/utils"
import { COINGATE_STATUSES } from "../coingate/types"
import type { MedusaState } from "../payments/rules/plan"

/**
 * The admin console's query parameters (docs/admin.md, "Operations console API"): checked here once for
 * the list, the totals and the CSV export, so the three always agree on what a filter means. Anything
 * unknown or malformed is a 400 naming the parameter; nothing reaches SQL unchecked.
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
export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100
export const MAX_OFFSET = 1_000_000
export const MAX_RANGE_DAYS = 366
/** The totals' period when none is given. */
export const DEFAULT_TOTALS_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000

const FILTER_KEYS = ["attention", "status", "medusa_state", "created_from", "created_to", "price_currency", "pay_currency", "q"] as const
const KEYS: Record<ConsoleKind, readonly string[]> = {
  list: [...FILTER_KEYS, "limit", "offset"],
  totals: FILTER_KEYS,
  export: FILTER_KEYS,
}

const invalid = (message: string) => new MedusaError(MedusaError.Types.INVALID_DATA, message)

/** One text value: repeated parameters and nested objects are refused. */
function single(query: Record<string, unknown>, key: string): string | undefined {
  const v = query[key]
  if (v === undefined) return undefined
  if (typeof v !== "string") throw invalid(`${key} must be given once, as text.`)
  return v.trim()
}

function list(query: Record<string, unknown>, key: string, allowed: readonly string[]): string[] | undefined {
  const v = single(query, key)
  if (v === undefined || v === "") return undefined
  const values = [...new Set(v.split(",").map((s) => s.trim().toLowerCase()))]
  const unknown = values.filter((s) => !allowed.includes(s))
  if (unknown.length) throw invalid(`${key} must be a comma list of ${allowed.join(", ")}; got ${JSON.stringify(unknown.join(","))}.`)
  return values
}

function integer(query: Record<string, unknown>, key: string, min: number, max: number, fallback: number): number {
  const v = single(query, key)
  if (v === undefined) return fallback
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw invalid(`${key} must be an integer from ${min} to ${max}.`)
  return Number(v)
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

/** An ISO date (UTC midnight) or date-time with its offset; `endOfDay` turns a date-only value into the next midnight. */
function date(query: Record<string, unknown>, key: string, endOfDay: boolean): Date | undefined {
  const v = single(query, key)
  if (v === undefined || v === "") return undefined
  const dateOnly = DATE.test(v)
  const d = new Date(dateOnly ? `${v}T00:00:00Z` : v)
  if ((!dateOnly && !DATE_TIME.test(v)) || Number.isNaN(d.getTime()) || (dateOnly && d.toISOString().slice(0, 10) !== v)) {
    throw invalid(`${key} must be an ISO date (2026-01-31) or date-time (2026-01-31T12:00:00Z).`)
  }
  return dateOnly && endOfDay ? new Date(d.getTime() + DAY_MS) : d
}

function currency(query: Record<string, unknown>, key: string): string | undefined {
  const v = single(query, key)
  if (v === undefined || v === "") return undefined
  if (!/^[A-Za-z0-9]{2,10}$/.test(v)) throw invalid(`${key} must be a currency code such as EUR or BTC.`)
  return v.toUpperCase()
}

/**
 * Parses the console's query string for `kind`. The list gets `limit` (1..100, default 20) and `offset`;
 * the totals' period defaults to the last 30 days. A range (given, or completed with its default) is at
 * most 366 days.
 */
export function parseConsoleQuery(query: Record<string, unknown>, kind: ConsoleKind, now = new Date()): ConsoleQuery {
  const unknown = Object.keys(query).filter((k) => !KEYS[kind].includes(k))
  if (unknown.length) throw invalid(`Unknown query parameter(s): ${unknown.join(", ")}. Allowed: ${KEYS[kind].join(", ")}.`)

  const attention = single(query, "attention")
  if (attention !== undefined && attention !== "true" && attention !== "false") throw invalid("attention must be true or false.")
  const q = single(query, "q")
  if (q !== undefined && q.length > 200) throw invalid("q must be at most 200 characters.")

  const filters: ConsoleFilters = {
    attention: attention === undefined ? undefined : attention === "true",
    status: list(query, "status", COINGATE_STATUSES),
    medusa_state: list(query, "medusa_state", MEDUSA_STATES),
    created_from: date(query, "created_from", false),
    created_to: date(query, "created_to", true),
    price_currency: currency(query, "price_currency"),
    pay_currency: currency(query, "pay_currency"),
    q: q ? q : undefined,
  }
  if (kind === "totals") {
    filters.created_to ??= now
    filters.created_from ??= new Date(filters.created_to.getTime() - DEFAULT_TOTALS_DAYS * DAY_MS)
  }
  const { created_from: from, created_to: to } = filters
  if (from && to) {
    if (from.getTime() >= to.getTime()) throw invalid("created_from must be before created_to.")
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw invalid(`The range from created_from to created_to must be at most ${MAX_RANGE_DAYS} days.`)
  }
  for (const k of Object.keys(filters) as (keyof ConsoleFilters)[]) if (filters[k] === undefined) delete filters[k]

  return {
    filters,
    limit: kind === "list" ? integer(query, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT) : 0,
    offset: kind === "list" ? integer(query, "offset", 0, MAX_OFFSET, 0) : 0,
  }
}
