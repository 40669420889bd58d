import type { StoreClient } from "./client"

/** A CoinGate payment session as the store API shows it (public data only; docs/security.md). */
export type CoinGateSession = {
  id: string
  provider_id: string
  status: string
  amount: number
  currency_code: string
  data: {
    payment_url?: string
    coingate_order_id?: number | string
    coingate_status?: string
    price_amount?: string
    price_currency?: string
    session_id?: string
    success_url?: string
    cancel_url?: string
    email?: string
    flow?: "order_first" | "redirect_first"
  }
}

export type CartForPayment = {
  id: string
  total: number
  currency_code: string
  region_id?: string
  email?: string | null
  completed_at?: string | null
  payment_collection?: { id: string; amount?: number; currency_code?: string; payment_sessions?: CoinGateSession[] } | null
}

export type StartInput = {
  cartId: string
  /** Where CoinGate sends the shopper back; may contain `{cart_id}` and `{session_id}` (on an origin the backend allows). */
  successUrl: string
  /** Where a shopper who cancels on the invoice comes back (default: successUrl; the return page tells them apart). */
  cancelUrl?: string
  /** The purchaser's email (a guest cart's is not passed to the provider by Medusa). Default: the cart's. */
  email?: string
  /** `"order_first"` places the order before the redirect. Default: redirect first. */
  flow?: "order_first" | "redirect_first"
  /**
   * Order first only: `false` makes (or reuses) the invoice without placing the order yet, for a
   * storefront's payment step; the call behind its pay button then reuses that invoice and places the
   * order. Default: true.
   */
  placeOrder?: boolean
  /** The provider's id (`pp_coingate_<id>`). Default: the CoinGate provider enabled in the cart's region. */
  providerId?: string
}

export type StartResult = {
  session: CoinGateSession
  /** Where to send the shopper: the CoinGate invoice. */
  paymentUrl: string
  /** True when the cart's existing invoice is reused (no new CoinGate order). */
  reused: boolean
  /** Order first: the order this call placed (null when `placeOrder: false`, and always in redirect first). */
  orderId: string | null
}

/** Invoices that can still be paid: a session on one of these is reused. */
const PAYABLE = new Set(["new", "pending"])

export const CART_FIELDS = "id,total,currency_code,region_id,email,completed_at,*payment_collection,*payment_collection.payment_sessions"

export const isCoinGateSession = (s: { provider_id?: unknown } | null | undefined): boolean =>
  typeof s?.provider_id === "string" && s.provider_id.startsWith("pp_coingate_")

/**
 * The cart's CoinGate session when it can be reused for this checkout: an open session whose
 * invoice is still payable, for the cart's current total and currency, with the same flow and
 * return URLs. Medusa deletes a cart's sessions when its total changes; the amount check also
 * covers a session left from before a change that did not reach the payment collection.
 */
export function reusableSession(cart: CartForPayment, input: Pick<StartInput, "successUrl" | "cancelUrl" | "flow" | "providerId">): CoinGateSession | null {
  const sessions = cart.payment_collection?.payment_sessions ?? []
  const flow = input.flow === "order_first" ? "order_first" : undefined
  for (const s of sessions) {
    if (!isCoinGateSession(s) || (input.providerId && s.provider_id !== input.providerId)) continue
    if (s.status !== "pending" || !s.data?.payment_url || !PAYABLE.has(String(s.data.coingate_status))) continue
    if (Number(s.amount) !== Number(cart.total) || String(s.currency_code).toLowerCase() !== String(cart.currency_code).toLowerCase()) continue
    if ((s.data.flow === "order_first" ? "order_first" : undefined) !== flow) continue
    if (s.data.success_url !== input.successUrl || s.data.cancel_url !== (input.cancelUrl ?? input.successUrl)) continue
    return s
  }
  return null
}

/** The CoinGate provider enabled in a region. */
export async function coingateProviderId(client: StoreClient, regionId: string): Promise<string> {
  const { payment_providers } = await client<{ payment_providers: { id: string }[] }>(`/store/payment-providers?region_id=${encodeURIComponent(regionId)}`)
  const provider = payment_providers.find((p) => isCoinGateSession({ provider_id: p.id }))
  if (!provider) throw new Error("CoinGate is not enabled in this cart's region (Medusa admin: Settings → Regions → payment providers)")
  return provider.id
}

export async function loadCart(client: StoreClient, cartId: string): Promise<CartForPayment> {
  const { cart } = await client<{ cart: CartForPayment }>(`/store/carts/${encodeURIComponent(cartId)}?fields=${encodeURIComponent(CART_FIELDS)}`)
  return cart
}

/**
 * Starts the cart's CoinGate payment, or reuses the invoice it already has: one CoinGate invoice
 * per checkout, however often the storefront calls this (entering the payment step, then "Pay with
 * crypto"), until the cart's total or currency changes. With `flow: "order_first"` the cart is
 * completed (an order awaiting payment) before the shopper goes to the invoice, whether the invoice
 * is new or reused; `placeOrder: false` leaves that to the next call.
 */
export async function startCoinGatePayment(client: StoreClient, input: StartInput): Promise<StartResult> {
  if (!input.successUrl) throw new Error("startCoinGatePayment: successUrl is required")
  const cart = await loadCart(client, input.cartId)
  if (cart.completed_at) throw new Error("This cart is already an order")
  const placeOrder = input.flow === "order_first" && input.placeOrder !== false
  const existing = reusableSession(cart, input)
  if (existing) {
    const orderId = placeOrder ? await placeOrderOf(client, cart.id) : null
    return { session: existing, paymentUrl: existing.data.payment_url!, reused: true, orderId }
  }

  const providerId = input.providerId ?? (await coingateProviderId(client, String(cart.region_id)))
  let collectionId = cart.payment_collection?.id
  if (!collectionId) {
    const { payment_collection } = await client<{ payment_collection: { id: string } }>("/store/payment-collections", { method: "POST", body: { cart_id: cart.id } })
    collectionId = payment_collection.id
  }
  const email = input.email ?? cart.email ?? undefined
  const data: Record<string, string> = { success_url: input.successUrl, cancel_url: input.cancelUrl ?? input.successUrl }
  if (email) data.email = email
  if (input.flow === "order_first") data.flow = "order_first"
  const { payment_collection } = await client<{ payment_collection: { payment_sessions: CoinGateSession[] } }>(
    `/store/payment-collections/${encodeURIComponent(collectionId)}/payment-sessions`,
    { method: "POST", body: { provider_id: providerId, data } }
  )
  const session = payment_collection.payment_sessions.find((s) => s.provider_id === providerId)
  if (!session?.data?.payment_url) throw new Error("The store did not return a CoinGate invoice")
  const orderId = placeOrder ? await placeOrderOf(client, cart.id) : null
  return { session, paymentUrl: session.data.payment_url, reused: false, orderId }
}

/** Order first: completes the cart into an order awaiting payment (the invoice is unpaid). */
async function placeOrderOf(client: StoreClient, cartId: string): Promise<string> {
  const done = await client<{ type: string; order?: { id: string }; error?: { message?: string } }>(`/store/carts/${encodeURIComponent(cartId)}/complete`, { method: "POST" })
  if (done.type !== "order" || !done.order?.id) throw new Error(done.error?.message || "The order could not be placed")
  return done.order.id
}
