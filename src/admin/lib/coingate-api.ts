/**
 * The admin's calls to the plugin's `/admin/coingate/...` routes, and the small
 * formatting helpers the widget and the settings page share.
 *
 * The admin authenticates like the dashboard does: with its session cookie by default,
 * or with the JWT the dashboard keeps in local storage when the store sets
 * `ADMIN_AUTH_TYPE=jwt`.
 */
import { isCoinGateStatus, type CoinGateStatus } from "../../coingate/types"
import type { AdminCoinGateProviderSettings, testProviderConnection } from "../../console/admin-settings"
import type { AdminCoinGateOrderView, AdminCoinGatePayment, AdminCoinGateTransaction, AdminRefreshedPayment } from "../../console/admin-views"

// The answers' shapes are the server's own (type-only imports: erased from the browser bundle).
export type CoinGateTransaction = AdminCoinGateTransaction
export type CoinGatePayment = AdminCoinGatePayment
export type CoinGateOrderView = AdminCoinGateOrderView & { refreshed?: AdminRefreshedPayment[] }
export type CoinGateProviderSettings = AdminCoinGateProviderSettings
export type ConnectionTest = Awaited<ReturnType<typeof testProviderConnection>>

/** The backend's origin as the admin was built with (empty: the admin's own origin). */
export function backendUrl(): string {
  try {
    return (__BACKEND_URL__ || "").replace(/\/+$/, "")
  } catch {
    return ""
  }
}

/** The JWT header when the store uses `ADMIN_AUTH_TYPE=jwt`; none with session cookies. */
export function authHeaders(): Record<string, string> {
  try {
    if (__AUTH_TYPE__ === "jwt") {
      let key = "medusa_auth_token"
      try {
        key = __JWT_TOKEN_STORAGE_KEY__ || key
      } catch {
        // default key
      }
      const token = window.localStorage.getItem(key)
      return token ? { Authorization: `Bearer ${token}` } : {}
    }
  } catch {
    // session auth (the default): the cookie is enough
  }
  return {}
}

export class CoinGateAdminError extends Error {
  constructor(message: string, readonly status: number) {
    super(message)
  }
}

/** A call to the plugin's admin routes (JSON in and out; throws `CoinGateAdminError` with the route's message). */
export async function call<T>(path: string, init: { method?: "GET" | "POST"; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${backendUrl()}${path}`, {
    method: init.method ?? "GET",
    credentials: "include",
    headers: {
      Accept: "application/json",
      ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...authHeaders(),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  })
  let payload: any = null
  try {
    payload = await res.json()
  } catch {
    payload = null
  }
  if (!res.ok) {
    throw new CoinGateAdminError(payload?.message || `${res.status} ${res.statusText}`, res.status)
  }
  return payload as T
}

export const coingateApi = {
  order: (orderId: string) => call<CoinGateOrderView>(`/admin/coingate/orders/${encodeURIComponent(orderId)}`),
  refresh: (orderId: string) => call<CoinGateOrderView>(`/admin/coingate/orders/${encodeURIComponent(orderId)}/refresh`, { method: "POST", body: {} }),
  clearAttention: (paymentId: string) =>
    call<{ payment: CoinGatePayment }>(`/admin/coingate/payments/${encodeURIComponent(paymentId)}/clear-attention`, { method: "POST", body: {} }),
  settings: () => call<{ providers: CoinGateProviderSettings[] }>("/admin/coingate/settings"),
  testConnection: (providerId: string) =>
    call<ConnectionTest>("/admin/coingate/settings/test-connection", { method: "POST", body: { provider_id: providerId } }),
}

export type BadgeColor = "green" | "red" | "blue" | "orange" | "grey" | "purple"

/** One label per CoinGate status of THE list (src/coingate/types.ts): a new status needs its label here. */
const STATUS: Record<CoinGateStatus, { label: string; color: BadgeColor }> = {
  new: { label: "New", color: "grey" },
  pending: { label: "Awaiting payment", color: "orange" },
  confirming: { label: "Confirming", color: "blue" },
  paid: { label: "Paid", color: "green" },
  invalid: { label: "Invalid", color: "red" },
  expired: { label: "Expired", color: "grey" },
  canceled: { label: "Canceled", color: "grey" },
  refunded: { label: "Refunded", color: "purple" },
  partially_refunded: { label: "Partially refunded", color: "purple" },
}

export function statusLabel(status: string | null | undefined): { label: string; color: BadgeColor } {
  if (!status) return { label: "Unknown", color: "grey" }
  return (isCoinGateStatus(status) ? STATUS[status] : null) ?? { label: status.replace(/_/g, " "), color: "grey" }
}

// Attention labels live with the server's closed set of reasons; that file has no imports, so the admin bundles it.
export { attentionLabel } from "../../shared/attention"

const SOURCE: Record<string, string> = {
  callback: "callback",
  medusa_webhook: "webhook",
  return: "shopper's return",
  storefront: "storefront check",
  reconcile: "reconciliation",
  admin: "admin refresh",
}

export function sourceLabel(source: string): string {
  return SOURCE[source] ?? source
}

const MEDUSA_STATE: Record<string, string> = {
  pending: "Awaiting the shopper",
  awaiting_payment: "Order placed, payment not captured",
  captured: "Payment captured",
  canceled: "Canceled",
  failed: "Payment failed",
  orphaned: "Checkout replaced",
  mismatch: "Does not match the checkout",
}

export function medusaStateLabel(state: string | null): string | null {
  return state ? MEDUSA_STATE[state] ?? state : null
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "-"
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" }).format(d)
}

export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  if (!value) return "never"
  const t = new Date(value).getTime()
  if (Number.isNaN(t)) return value
  const seconds = Math.round((t - now) / 1000)
  const abs = Math.abs(seconds)
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })
  if (abs < 45) return rtf.format(seconds, "second")
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), "minute")
  if (abs < 36 * 3600) return rtf.format(Math.round(seconds / 3600), "hour")
  return rtf.format(Math.round(seconds / 86400), "day")
}

export function formatAmount(amount: string | null | undefined, currency: string | null | undefined): string {
  if (!amount) return "-"
  return currency ? `${amount} ${currency}` : amount
}

export function shortHash(value: string | null | undefined, keep = 8): string {
  if (!value) return "-"
  return value.length <= keep * 2 + 1 ? value : `${value.slice(0, keep)}…${value.slice(-keep)}`
}
