import { displayAmount } from "../../shared/amounts"
import { textOrNull } from "./snapshots"
import { isRefunded } from "../../payments/rules/status-policy"

/** Reconciling a CoinGate order's `refunds[]` with the refunds Medusa made through the plugin. */

/** How long a just-created pending refund unknown to the plugin is given before it is flagged. */
export const FRESH_REFUND_GRACE_MS = 2 * 60_000

/**
 * CoinGate refunds of an order (`refunds[]` of the order read from the API) that Medusa did not make:
 * their ids are not among `known` (the CoinGate refund ids of the plugin's records).
 */
export function refundsOutsideMedusa(
  orderRefunds: unknown,
  known: Iterable<string>,
  { now = new Date(), graceMs = FRESH_REFUND_GRACE_MS }: { now?: Date; graceMs?: number } = {}
): Array<{ id: string; amount: string | null; status: string | null }> {
  const knownIds = new Set([...known].map(String))
  // A refund Medusa is making right now is at CoinGate a moment before the plugin records it:
  // a refund still pending and only just created is not flagged yet (a later read will).
  const fresh = (r: any) => r?.status === "pending" && now.getTime() - Date.parse(String(r?.created_at ?? "")) < graceMs
  return (Array.isArray(orderRefunds) ? orderRefunds : [])
    .filter((r: any) => r && (typeof r.id === "number" || typeof r.id === "string") && !knownIds.has(String(r.id)) && !fresh(r))
    .map((r: any) => ({ id: String(r.id), amount: textOrNull(r.request_amount ?? r.amount), status: textOrNull(r.status) }))
}

/**
 * Whether a CoinGate order says it was refunded in a way Medusa does not know: refunds in its list that no
 * record names, or a refunded status with no refund listed and none made through Medusa.
 */
export function refundMismatch(
  order: { id: number | string; status: string; price_currency?: string; refunds?: unknown },
  known: string[],
  opts: { now?: Date; graceMs?: number } = {}
): { reason: "refund_outside_medusa"; note: string } | null {
  const outside = refundsOutsideMedusa(order.refunds, known, opts)
  const refundedStatus = isRefunded(order.status)
  const listed = Array.isArray(order.refunds) ? order.refunds.length : 0
  if (outside.length) {
    const list = outside.map((r) => `#${r.id}${r.amount ? ` (${displayAmount(r.amount, order.price_currency) ?? r.amount} ${order.price_currency ?? ""}`.trimEnd() + ")" : ""}${r.status ? ` ${r.status}` : ""}`).join(", ")
    return {
      reason: "refund_outside_medusa",
      note:
        `CoinGate order ${order.id} has refund${outside.length > 1 ? "s" : ""} ${list} that Medusa did not make (refunded in the CoinGate dashboard?). ` +
        "Medusa's order totals do not include them: record the refund in Medusa if it stands.",
    }
  }
  if (refundedStatus && listed === 0 && known.length === 0) {
    return {
      reason: "refund_outside_medusa",
      note: `CoinGate says order ${order.id} is ${order.status}, but Medusa made no refund through CoinGate. Check the CoinGate dashboard and record the refund in Medusa.`,
    }
  }
  return null
}
