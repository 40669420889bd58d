import type { MedusaContainer } from "@medusajs/framework/types"
import { isSameAmount } from "../shared/amounts"
import type { CoinGateStatus } from "../coingate/types"
import type { StorefrontData } from "../gateway/session-input"
import { publicSessionData, STOREFRONT_FIELDS, type CoinGateSessionData } from "../payments/rules/session-data"
import { syncSession } from "./sync-session"

/** A payment collection as the session route reads it. */
export type CollectionForReuse = {
  amount: unknown
  currency_code: string
  cart_id: string | null
  payment_sessions: Array<{ id: string; provider_id: string; status: string; data?: Record<string, unknown> | null }>
}

/** CoinGate statuses of an invoice the shopper can still pay. */
const OPEN: ReadonlySet<CoinGateStatus> = new Set(["new", "pending"])
/** A `pending` invoice (coin chosen) this close to its `expire_at` is not handed out again. */
export const MIN_TIME_LEFT_MS = 5 * 60_000
/**
 * How recent the plugin's record of the invoice must be to decide without reading CoinGate: a
 * flood of requests on one cart costs at most 4 reads a minute (one at a time per order). A status
 * change is also pushed by CoinGate's callback, which updates the record at once.
 */
export const REUSE_FRESH_MS = 15_000

/**
 * The collection's CoinGate session that a new request for `providerId` with `storefront` data can
 * keep: same provider, still `pending` in Medusa, the same price and currency as the collection has
 * now, the same storefront fields (they are part of the invoice: email, return URLs, flow), and an
 * invoice CoinGate still has open. Null when a new invoice is needed.
 */
export async function openInvoiceOf(
  container: MedusaContainer,
  collection: CollectionForReuse,
  wanted: { providerId: string; storefront: StorefrontData }
): Promise<{ sessionId: string } | null> {
  const session = collection.payment_sessions.find((s) => s.provider_id === wanted.providerId && s.status === "pending")
  if (!session) return null
  const data = publicSessionData(session.data)
  if (!data.coingate_order_id || !data.payment_url) return null
  if (!samePrice(data, collection)) return null
  if (!sameStorefrontData(data, wanted.storefront)) return null
  return (await stillOpen(container, session.id, data)) ? { sessionId: session.id } : null
}

function samePrice(data: CoinGateSessionData, collection: CollectionForReuse): boolean {
  const currency = String(collection.currency_code ?? "")
  if (!currency || data.price_currency !== currency.toUpperCase()) return false
  return isSameAmount(data.price_amount, collection.amount as any, currency)
}

function sameStorefrontData(data: CoinGateSessionData, storefront: StorefrontData): boolean {
  // `flow` absent and "redirect_first" are the same checkout.
  const norm = (field: (typeof STOREFRONT_FIELDS)[number], value: unknown) => (field === "flow" && value === "redirect_first" ? undefined : value ?? undefined)
  return STOREFRONT_FIELDS.every((field) => norm(field, data[field]) === norm(field, storefront[field]))
}

/**
 * Whether CoinGate still has the invoice open: read (public share of the request budget, one read
 * per order at a time) unless the record was synced within REUSE_FRESH_MS. When CoinGate cannot be
 * read now, the last status the plugin knows decides: a new invoice could not be made either.
 */
async function stillOpen(container: MedusaContainer, sessionId: string, data: CoinGateSessionData): Promise<boolean> {
  let status: unknown = data.coingate_status
  let expireAt: unknown
  try {
    const synced = await syncSession(container, sessionId, "storefront", { minIntervalMs: REUSE_FRESH_MS })
    if (synced) {
      const record = "fromRecord" in synced ? synced.fromRecord : synced.record
      status = "fromRecord" in synced ? record.status : synced.coingateStatus
      expireAt = record?.snapshot?.expire_at
    }
  } catch {
    // The record or the session's data below.
  }
  if (!OPEN.has(status as CoinGateStatus)) return false
  const expires = typeof expireAt === "string" ? Date.parse(expireAt) : NaN
  return !(Number.isFinite(expires) && expires - Date.now() < MIN_TIME_LEFT_MS)
}
