import type { CoinGateStatus } from "../../coingate/types"

/**
 * The payment session data of a CoinGate session: a contract with storefronts, which
 * read it through the store API (and Medusa copies it into the payment's data, which the
 * store API shows too). It is public, so it holds these fields and nothing else: no
 * secret, no internal state of the plugin (the public interface, CONTRACT.md).
 */
export type CoinGateSessionData = {
  /** Added by Medusa when the session is created. */
  session_id?: string
  /** CoinGate invoice URL to redirect the shopper to. */
  payment_url?: string
  /** CoinGate's id of the order (invoice). */
  coingate_order_id?: number
  /** Last CoinGate status the backend has seen. */
  coingate_status?: CoinGateStatus
  /** The price CoinGate was asked for, in the session's currency (a decimal string). */
  price_amount?: string
  price_currency?: string

  /** Sent by the storefront when it creates the session (all optional). */
  success_url?: string
  cancel_url?: string
  email?: string
  /**
   * `"order_first"`: completing the cart before the redirect places the order awaiting
   * payment (captured when CoinGate says paid, canceled when the invoice expires unpaid).
   * Absent or `"redirect_first"` (the default): the cart completes once CoinGate sees the payment.
   */
  flow?: StorefrontFlow
}

export type StorefrontFlow = "redirect_first" | "order_first"

/**
 * Fields a storefront may send in `data` when creating a session; any other key it sends is
 * dropped (`sessionDataFor` returns it as undefined, so Medusa's merge leaves it absent).
 */
export const STOREFRONT_FIELDS = ["success_url", "cancel_url", "email", "flow"] as const

/** Fields the provider writes. */
export const PROVIDER_FIELDS = ["session_id", "payment_url", "coingate_order_id", "coingate_status", "price_amount", "price_currency"] as const

const PUBLIC_FIELDS: ReadonlySet<string> = new Set([...PROVIDER_FIELDS, ...STOREFRONT_FIELDS])

/** THE whitelist: the public fields of `data`, and nothing else. */
export function publicSessionData(data: Record<string, unknown> | null | undefined): CoinGateSessionData {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data ?? {})) {
    if (PUBLIC_FIELDS.has(key) && value !== undefined) out[key] = value
  }
  return out as CoinGateSessionData
}

/**
 * The `data` a provider method hands back to Medusa for a session or payment whose data was
 * `previous`: the public fields of `next` (by default, `previous`'s own), and every other key of
 * `previous` set to undefined.
 * Medusa stores `{ ...what the storefront sent, ...this }` when creating a session and merges this
 * into the stored data afterwards, so an undefined key is what makes a key absent.
 */
export function sessionDataFor(previous: Record<string, unknown> | null | undefined, next: CoinGateSessionData = publicSessionData(previous)): Record<string, unknown> {
  const erased = Object.fromEntries(Object.keys(previous ?? {}).map((key) => [key, undefined]))
  return { ...erased, ...publicSessionData(next) }
}
