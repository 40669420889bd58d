import type { CoinGateStatus } from "./coingate-types"

/**
 * The payment session data of a CoinGate session: a contract with storefronts, which
 * read it through the store API. It is public, so it never holds a secret (the API
 * token and the per-session callback token are never in it).
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

/** Fields a storefront may send in `data` when creating a session; anything else is dropped. */
export const STOREFRONT_FIELDS = ["success_url", "cancel_url", "email", "flow"] as const
