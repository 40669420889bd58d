import { createDataTableFilterHelper } from "@medusajs/ui"
import { medusaStateLabel, statusLabel } from "../../lib/coingate-api"
import type { ConsoleRow } from "../../lib/console-api"
// THE list of CoinGate statuses (no imports of its own, so the admin bundles it).
import { COINGATE_STATUSES } from "../../../coingate/types"

/**
 * The list's filters as Medusa's DataTable shows them (the funnel menu and the filter
 * chips). lib/console-query.ts turns the table's filtering state into the routes' query.
 */

const MEDUSA_STATES = ["pending", "awaiting_payment", "captured", "canceled", "failed", "orphaned", "mismatch"]

const filter = createDataTableFilterHelper<ConsoleRow>()

const DAY = 24 * 3600 * 1000

/** Built once per page: a preset's value is compared by its JSON, so it must not move while the page is open. */
export function paymentFilterDefinitions(now = Date.now()) {
  const since = (days: number) => ({ $gte: new Date(now - days * DAY).toISOString() })
  return [
    filter.accessor("attention", {
      type: "radio",
      label: "Flag",
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
