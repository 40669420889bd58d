import type { AdminOrder } from "@medusajs/framework/types"
import type { CoinGatePayment } from "./coingate-api"

const PREFIX = "pp_coingate_"

/**
 * Whether the order page's data already says the order has a CoinGate payment (undefined: it does not say).
 * With `sessions`, a CoinGate payment session counts too (the payment widget shows open invoices).
 */
export function hasCoinGatePayment(order: AdminOrder | undefined, { sessions = false }: { sessions?: boolean } = {}): boolean | undefined {
  const collections = (order as any)?.payment_collections as any[] | undefined
  if (!Array.isArray(collections)) return undefined
  return collections.some(
    (c) =>
      (sessions && (c?.payment_sessions ?? []).some((s: any) => String(s?.provider_id ?? "").startsWith(PREFIX))) ||
      (c?.payments ?? []).some((p: any) => String(p?.provider_id ?? "").startsWith(PREFIX))
  )
}

/** When the plugin last heard from CoinGate about any of the order's payments (callback, API read). */
export function lastHeard(payments: CoinGatePayment[]): { callback: string | null; synced: string | null } {
  const latest = (values: (string | null)[]) =>
    values.filter((v): v is string => !!v).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null
  return {
    callback: latest(payments.map((p) => p.last_callback_at)),
    synced: latest(payments.map((p) => p.last_synced_at)),
  }
}

/** The payment whose status the header shows: the newest one still attached to a session, else the newest. */
export function primaryPayment(payments: CoinGatePayment[]): CoinGatePayment {
  const attached = payments.filter((p) => p.session_status !== null)
  return (attached.length ? attached : payments)[(attached.length ? attached : payments).length - 1]
}
