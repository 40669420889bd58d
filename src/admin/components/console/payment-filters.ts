import { createDataTableFilterHelper, DataTableFilteringState } from "@medusajs/ui"
import { medusaStateLabel, statusLabel } from "../../lib/coingate-api"
import type { ConsoleRow, PaymentFilters } from "../../lib/console-api"

/**
 * The list's filters as Medusa's DataTable shows them (the funnel menu and the filter
 * chips), and the translation of the table's filtering state into the routes' query.
 */

const COINGATE_STATUSES = ["new", "pending", "confirming", "paid", "invalid", "expired", "canceled", "refunded", "partially_refunded"]
const MEDUSA_STATES = ["pending", "awaiting_payment", "captured", "canceled", "failed", "orphaned", "mismatch"]

const filter = createDataTableFilterHelper<ConsoleRow>()

const DAY = 24 * 3600 * 1000

/** Built once per page: a preset's value is compared by its JSON, so it must not move while the page is open. */
export function paymentFilterDefinitions(now = Date.now()) {
  const since = (days: number) => ({ $gte: new Date(now - days * DAY).toISOString() })
  return [
    filter.accessor("attention", {
      type: "radio",
      label: "Needs attention",
      options: [
        { label: "Needs attention", value: "true" },
        { label: "No flag", value: "false" },
      ],
    }),
    filter.accessor("status", {
      type: "multiselect",
      label: "CoinGate status",
      options: COINGATE_STATUSES.map((s) => ({ label: statusLabel(s).label, value: s })),
    }),
    filter.accessor("medusa_state", {
      type: "multiselect",
      label: "Medusa state",
      options: MEDUSA_STATES.map((s) => ({ label: medusaStateLabel(s) ?? s, value: s })),
    }),
    filter.accessor("created_at", {
      type: "date",
      label: "Created",
      format: "date",
      options: [
        { label: "Last 24 hours", value: since(1) },
        { label: "Last 7 days", value: since(7) },
        { label: "Last 30 days", value: since(30) },
        { label: "Last 90 days", value: since(90) },
      ],
    }),
    filter.accessor("price_currency", { type: "string", label: "Price currency", placeholder: "EUR" }),
    filter.accessor("pay_currency", { type: "string", label: "Coin paid", placeholder: "BTC" }),
  ]
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined)
/** The picker's end day (its first instant) as the end of that day, so the day chosen is included. */
const endOfDay = (v: unknown) => {
  const t = typeof v === "string" ? Date.parse(v) : NaN
  return Number.isNaN(t) ? undefined : new Date(t + DAY - 1).toISOString()
}
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map(String) : undefined)

/** The DataTable's filtering state and search box as the list route's query (unset values left out). */
export function toPaymentFilters(filtering: DataTableFilteringState, search: string): PaymentFilters {
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
