/**
 * The operations console's calls (the "CoinGate" page): the store's CoinGate invoices, one
 * record's detail and refresh, totals for a period, the CSV export and the callback log.
 * Types follow the agreed contract (/admin/coingate/payments..., /admin/coingate/callbacks);
 * transport, auth and the payment shape are coingate-api.ts's.
 */
import { authHeaders, backendUrl, call, CoinGatePayment } from "./coingate-api"
import { queryString } from "./console-query"
// The answers' shapes are the server's own view types (type-only imports: nothing of the server reaches the bundle).
import type { ConsoleRow, ConsoleTotals } from "../../console/views"
import type { CallbackView } from "../../callback-log/list"

/** One invoice in the list: amounts are exact decimal strings, dates ISO strings. */
export type { ConsoleRow }
export type Totals = ConsoleTotals
/** One callback of the log; on a flood's aggregate row (`aggregate: true`), `count` is how many it stands for. */
export type CallbackEntry = CallbackView

export type ConsoleList = { payments: ConsoleRow[]; count: number; limit: number; offset: number; attention_count: number }

/** The record in the order widget's shape, with what the list adds. */
export type ConsolePayment = CoinGatePayment & {
  cart_id: string | null
  email: string | null
  order_id: string | null
  order_display_id: number | null
}

export type ConsoleRefresh = { payment: ConsolePayment; refreshed: { ok: boolean; status?: string; error?: string } }

/** The list's filters, as the routes take them (everything optional; comma lists for several values). */
export type PaymentFilters = {
  attention?: "true" | "false"
  status?: string[]
  medusa_state?: string[]
  created_from?: string
  created_to?: string
  price_currency?: string
  pay_currency?: string
  q?: string
}



export type CallbackFilters = { coingate_order_id?: string; outcome?: string[]; kind?: string; received_from?: string; received_to?: string }

export type CallbackList = { callbacks: CallbackEntry[]; count: number; limit: number; offset: number }

const id = (value: string) => encodeURIComponent(value)

/** The export route for these filters: what the "Export CSV" link points at. */
export const exportPath = (filters: PaymentFilters) => `/admin/coingate/payments/export${queryString(filters)}`

export const consoleApi = {
  payments: (filters: PaymentFilters, page: { limit: number; offset: number }) =>
    call<ConsoleList>(`/admin/coingate/payments${queryString({ ...filters, ...page })}`),
  payment: (paymentId: string) => call<{ payment: ConsolePayment }>(`/admin/coingate/payments/${id(paymentId)}`),
  refresh: (paymentId: string) => call<ConsoleRefresh>(`/admin/coingate/payments/${id(paymentId)}/refresh`, { method: "POST", body: {} }),
  totals: (filters: PaymentFilters) => call<Totals>(`/admin/coingate/payments/totals${queryString(filters)}`),
  callbacks: (filters: CallbackFilters, page: { limit: number; offset: number }) =>
    call<CallbackList>(`/admin/coingate/callbacks${queryString({ ...filters, ...page })}`),
  exportUrl: (filters: PaymentFilters) => `${backendUrl()}${exportPath(filters)}`,
  /**
   * Downloads the export with the admin's JWT (a plain link carries the session cookie, not
   * a bearer token). The file is the route's; the browser saves it under the route's name.
   */
  async downloadExport(filters: PaymentFilters): Promise<void> {
    const res = await fetch(consoleApi.exportUrl(filters), { credentials: "include", headers: authHeaders() })
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`)
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "coingate-payments.csv"
    const url = URL.createObjectURL(await res.blob())
    const a = document.createElement("a")
    a.href = url
    a.download = name
    a.click()
    URL.revokeObjectURL(url)
  },
}

/** Whether the admin sends a bearer token (then the export must be fetched, not followed as a link). */
export const usesBearerToken = () => Object.keys(authHeaders()).length > 0
