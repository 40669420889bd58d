/**
 * The console's query strings: the DataTable's filtering state and search box as the
 * list route's parameters. No imports but types, so unit tests run it without a browser.
 */
import type { PaymentFilters } from "./console-api"

/** The DataTable's filtering state: filter id to value (a string, a list, or a date range). */
type FilteringState = Record<string, unknown>

/** A query string of the set values only (the routes answer 400 to unknown or empty parameters). */
export function queryString(params: Record<string, string | number | string[] | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(","))
    } else {
      search.set(key, String(value))
    }
  }
  const text = search.toString()
  return text ? `?${text}` : ""
}

const DAY = 24 * 3600 * 1000

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined)
/** The picker's end day (its first instant) as the end of that day, so the day chosen is included. */
const endOfDay = (v: unknown) => {
  const t = typeof v === "string" ? Date.parse(v) : NaN
  return Number.isNaN(t) ? undefined : new Date(t + DAY - 1).toISOString()
}
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map(String) : undefined)

/** The DataTable's filtering state and search box as the list route's query (unset values left out). */
export function toPaymentFilters(filtering: FilteringState, search: string): PaymentFilters {
  const created = (filtering.created_at ?? {}) as { $gte?: string; $lte?: string }
  const attention = filtering.attention
  return {
    attention: attention === "true" || attention === "false" ? attention : undefined,
    status: list(filtering.status),
    medusa_state: list(filtering.medusa_state),
    created_from: text(created.$gte),
    created_to: endOfDay(created.$lte),
    price_currency: text(filtering.price_currency)?.toUpperCase(),
    pay_currency: text(filtering.pay_currency)?.toUpperCase(),
    q: text(search),
  }
}
