import type { MedusaContainer } from "@medusajs/framework/types"
import { sameCartId } from "../coingate/return-token"
import { CoinGateApiError, CoinGateBudgetError } from "../coingate/client"
import { loadPaymentState } from "../payments/payment-state"
import { syncSession, type SyncResult } from "./sync-session"
// The storefront helper owns the answer's shape (it reads it); the server only fills it in.
import type { SyncAnswer as StorefrontSyncAnswer } from "../storefront/return-state"

/**
 * What the public routes (`POST /store/coingate/payment-sessions/:id/sync`, `GET /coingate/return/:id`)
 * tell a caller about a payment (docs/security.md, "Who learns a checkout's cart and order"). Anyone may
 * hold a session id (CoinGate prints it on the invoice), so it alone gets only what a return page needs to
 * decide what to show: CoinGate's status and where the payment stands in Medusa. The cart and order ids
 * (each opens the shopper's email and addresses through Medusa's store API) go only to a caller who proves
 * it is that checkout: the sync route's caller by sending the cart's id, which the storefront already has;
 * the return route's by the return token in the URL the plugin gave CoinGate (src/coingate/return-token.ts).
 * The cart and order ids are there only for such a caller.
 */
export type SyncAnswer = StorefrontSyncAnswer & { payment_session_id: string }

/** The facts of a sync, whether it read CoinGate or answered from the plugin's record. */
export function syncFacts(result: SyncResult): { coingateStatus: string | null; state: string | null; cartId: string | null; orderId: string | null } {
  if ("fromRecord" in result) {
    const r = result.fromRecord
    return { coingateStatus: r.status ?? null, state: r.medusa_state ?? null, cartId: r.cart_id ?? null, orderId: r.order_id ?? null }
  }
  return { coingateStatus: result.coingateStatus ?? null, state: result.medusaState ?? null, cartId: result.cartId ?? null, orderId: result.orderId ?? null }
}

/**
 * Whether `claimedCartId` is the cart of `sessionId` (constant-time comparison). The sync's own facts name
 * the cart most of the time; when they do not (a record made before the cart was known), Medusa's link does.
 */
export async function provesCheckout(container: MedusaContainer, sessionId: string, claimedCartId: unknown, knownCartId: string | null): Promise<boolean> {
  if (typeof claimedCartId !== "string" || !claimedCartId) return false
  const cartId = knownCartId ?? (await loadPaymentState(container, sessionId).catch(() => null))?.cartId ?? null
  return sameCartId(claimedCartId, cartId)
}

export function syncAnswer(sessionId: string, facts: ReturnType<typeof syncFacts>, proven: boolean): SyncAnswer {
  const answer: SyncAnswer = { payment_session_id: sessionId, coingate_status: facts.coingateStatus, state: facts.state }
  return proven ? { ...answer, cart_id: facts.cartId, order_id: facts.orderId } : answer
}

/** The storefront's status check: its answer, or when to ask again (CoinGate slow, down, or not to be asked now). */
export type StorefrontSync = { answer: SyncAnswer } | { retryAfterSeconds: number }

/**
 * `POST /store/coingate/payment-sessions/:id/sync`: re-reads the order (or answers from a record a few seconds
 * fresh, or when the public share of the request budget is spent: src/sources/sync-session.ts), applies it and
 * answers; `claimedCartId`, when it is the session's cart, also gets `cart_id` and `order_id`. Null: no
 * CoinGate payment session of that id. A transient CoinGate failure asks the page to try again shortly (the
 * callback or reconciliation may settle it meanwhile); any other failure is thrown.
 */
export async function storefrontSync(container: MedusaContainer, sessionId: string, claimedCartId: unknown): Promise<StorefrontSync | null> {
  let result: SyncResult | null
  try {
    result = await syncSession(container, sessionId, "storefront")
  } catch (e) {
    if (!(e instanceof CoinGateApiError && e.transient)) throw e
    return { retryAfterSeconds: e instanceof CoinGateBudgetError ? Math.min(60, Math.max(1, Math.ceil(e.retryAfterMs / 1000))) : 5 }
  }
  if (!result) return null
  const facts = syncFacts(result)
  const proven = await provesCheckout(container, sessionId, claimedCartId, facts.cartId)
  return { answer: syncAnswer(sessionId, facts, proven) }
}
