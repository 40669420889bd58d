import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { displayAmount } from "../shared/amounts"
import { AdminCoinGatePayment, iso, paymentView, positiveAmount, ProviderInfo, providerInfo, str } from "./admin-views"
import type { CoinGatePaymentRecord } from "../payments/records"
import { COINGATE_STATUSES } from "../coingate/types"
import type { ConsoleRecord, TotalsGroup } from "./query"

/**
 * What the admin console shows of a record (a list row, a CSV line). Every field is picked by name from
 * the few columns query.ts selects: no snapshot and no session data reach a response.
 */

export type ConsoleRow = {
  id: string
  coingate_order_id: string
  /** CoinGate's dashboard page of the order, or the simulator's invoice page; null for a provider no longer configured. */
  dashboard_url: string | null
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
  /** In `pay_currency`; null when nothing is missing. */
  underpaid_amount: string | null
  /** In `pay_currency`; null when nothing was paid in excess. */
  overpaid_amount: string | null
  attention: { reason: string; note: string | null } | null
  last_callback_at: string | null
  last_synced_at: string | null
  created_at: string | null
}

/** Builds rows, resolving each provider's dashboard link once per call site (pass the same cache for a whole export). */
export function consoleRow(container: MedusaContainer, r: ConsoleRecord, cache: Map<string, ProviderInfo>): ConsoleRow {
  const info = providerInfo(container, r.provider_id, cache)
  return {
    id: r.id,
    coingate_order_id: r.coingate_order_id,
    dashboard_url: info.dashboardUrl(r.coingate_order_id, str(r.payment_url)),
    payment_session_id: r.payment_session_id,
    provider_id: r.provider_id,
    cart_id: r.cart_id ?? null,
    email: r.email ?? null,
    order_id: r.order_id ?? null,
    order_display_id: r.order_display_id === null || r.order_display_id === undefined ? null : Number(r.order_display_id),
    status: r.status,
    medusa_state: r.medusa_state,
    price_amount: displayAmount(str(r.price_amount), r.price_currency),
    price_currency: str(r.price_currency),
    pay_amount: str(r.pay_amount),
    pay_currency: str(r.pay_currency),
    underpaid_amount: positiveAmount(r.underpaid_amount),
    overpaid_amount: positiveAmount(r.overpaid_amount),
    attention: r.attention ? { reason: r.attention, note: r.attention_note ?? null } : null,
    last_callback_at: iso(r.last_callback_at),
    last_synced_at: iso(r.last_synced_at),
    created_at: iso(r.created_at),
  }
}

/** The CSV's columns: ConsoleRow's, in its order; `attention` is the reason only. */
export const CSV_COLUMNS: readonly (keyof ConsoleRow)[] = [
  "id",
  "coingate_order_id",
  "dashboard_url",
  "payment_session_id",
  "provider_id",
  "cart_id",
  "email",
  "order_id",
  "order_display_id",
  "status",
  "medusa_state",
  "price_amount",
  "price_currency",
  "pay_amount",
  "pay_currency",
  "underpaid_amount",
  "overpaid_amount",
  "attention",
  "last_callback_at",
  "last_synced_at",
  "created_at",
]

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell a spreadsheet would
 * run as a formula (starting with = + - @, or a tab or carriage return) gets a leading ' first: an email
 * address or a cart id is shopper input.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ""
  let s = String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`
}

export function csvRow(row: ConsoleRow): string {
  return csvLine(CSV_COLUMNS.map((c) => (c === "attention" ? row.attention?.reason ?? null : row[c])))
}

export type ConsoleTotals = {
  from: string
  to: string
  count: number
  by_status: { status: string; count: number; amounts: { currency: string; amount: string }[] }[]
  by_currency: { currency: string; count: number; amount: string }[]
}

/** The totals' answer from the GROUPING SETS rows; amounts in each currency's precision ("0.30"), never rounded. */
export function totalsView(period: { from: Date; to: Date }, groups: TotalsGroup[]): ConsoleTotals {
  const amount = (g: TotalsGroup) => displayAmount(g.amount ?? "0", g.currency) ?? "0"
  const statusRank = (s: string) => (COINGATE_STATUSES.indexOf(s as any) + 1 || COINGATE_STATUSES.length + 1)
  const perStatusCurrency = groups.filter((g) => g.byStatus && g.byCurrency && g.currency)
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    count: groups.find((g) => !g.byStatus && !g.byCurrency)?.count ?? 0,
    by_status: groups
      .filter((g) => g.byStatus && !g.byCurrency && g.status)
      .sort((a, b) => statusRank(a.status!) - statusRank(b.status!) || a.status!.localeCompare(b.status!))
      .map((g) => ({
        status: g.status!,
        count: g.count,
        amounts: perStatusCurrency
          .filter((c) => c.status === g.status)
          .sort((a, b) => a.currency!.localeCompare(b.currency!))
          .map((c) => ({ currency: c.currency!, amount: amount(c) })),
      })),
    by_currency: groups
      .filter((g) => !g.byStatus && g.byCurrency && g.currency)
      .sort((a, b) => a.currency!.localeCompare(b.currency!))
      .map((g) => ({ currency: g.currency!, count: g.count, amount: amount(g) })),
  }
}

export type ConsolePaymentDetail = AdminCoinGatePayment & {
  cart_id: string | null
  email: string | null
  order_id: string | null
  order_display_id: number | null
}

/** The detail drawer: the order widget's view of the record (history included) and the record's Medusa links. */
export async function paymentDetail(container: MedusaContainer, record: CoinGatePaymentRecord): Promise<ConsolePaymentDetail> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions(
    { id: record.payment_session_id },
    { select: ["id", "provider_id", "status", "data", "payment_collection_id", "created_at"] }
  )
  return {
    ...paymentView(container, { record, session: (session as any) ?? null }),
    cart_id: record.cart_id ?? null,
    email: record.email ?? null,
    order_id: record.order_id ?? null,
    order_display_id: record.order_display_id ?? null,
  }
}
