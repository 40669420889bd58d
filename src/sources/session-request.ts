import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createPaymentSessionsWorkflow } from "@medusajs/medusa/core-flows"
import { coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { giveBackNewInvoiceSlot, newInvoiceLockKey, takeNewInvoiceSlot, withInvoiceAttempt, type InvoiceAttempt } from "../gateway/new-invoices"
import type { StorefrontData } from "../gateway/session-input"
import { openInvoiceOf, type CollectionForReuse } from "./reuse-invoice"

/** How long a request waits for the cart's lock (another new invoice being made) before a 429. */
const LOCK_WAIT_SECONDS = 20
/** Retry-After of a request that could not have the lock in time, or whose invoice CoinGate left unanswered. */
export const BUSY_RETRY_AFTER_MS = 2000

/** What the route answers: Medusa's route (`pass`), the collection as Medusa answers it, a 429 or a 503. */
export type SessionRequestOutcome =
  | { kind: "pass" }
  | { kind: "collection" }
  | { kind: "too_many"; retryAfterMs: number; message: string }
  | { kind: "unavailable" }

export type SessionRequest = { collectionId: string; providerId: unknown; data?: Record<string, unknown>; customerId?: string }

/**
 * Medusa's `POST /store/payment-collections/:id/payment-sessions` for a CoinGate provider (issue 22,
 * finding 6): anyone with the publishable key can call it, and each call used to make a CoinGate invoice.
 * - Unchanged request (same price and currency, same storefront data) and an open invoice: the session
 *   is reused and the collection answered as Medusa's route answers it; nothing is made at CoinGate.
 *   (Medusa itself always deletes the sessions and makes a new one, a new invoice; see medusa-notes.md §3.1.)
 * - Otherwise, under the cart's lock (Medusa's locking module: shared by every server on Redis), one of
 *   the cart's new-invoice slots (src/gateway/new-invoices.ts) is taken and Medusa's own workflow runs
 *   as its route runs it. Past the limit: 429 with Retry-After, nothing made.
 * - CoinGate refused (429) or the request budget kept the invoice from being sent: 429 with Retry-After;
 *   CoinGate left it unanswered: 503 with Retry-After. Never Medusa's 500 for those, since Medusa's
 *   error handler has no 429 (a provider error can only be a 4xx or 500 there).
 * Any other request (another provider, a body Medusa refuses) goes on to Medusa's route unchanged.
 * Throws any other error of Medusa's workflow.
 */
export async function takeSessionRequest(container: MedusaContainer, request: SessionRequest): Promise<SessionRequestOutcome> {
  const { collectionId, providerId } = request
  if (!isCoinGateProviderId(providerId)) return { kind: "pass" }
  let storefront: StorefrontData
  try {
    storefront = coingateGateway(container, providerId).storefrontData(request.data)
  } catch {
    // Not a CoinGate provider of this store, or data the provider refuses: Medusa's route gives its answer.
    return { kind: "pass" }
  }
  const wanted = { providerId, storefront }
  const first = await loadCollection(container, collectionId)
  if (!first) return { kind: "pass" }
  if (await openInvoiceOf(container, first, wanted)) return { kind: "collection" }

  const cartKey = first.cart_id ?? collectionId
  let started = false
  try {
    return await container.resolve(Modules.LOCKING).execute(
      newInvoiceLockKey(cartKey),
      async (): Promise<SessionRequestOutcome> => {
        started = true
        // Another request may have made the invoice while this one waited.
        const current = await loadCollection(container, collectionId)
        if (current && (await openInvoiceOf(container, current, wanted))) return { kind: "collection" }
        const slot = await takeNewInvoiceSlot(container, cartKey)
        if (!slot.ok) return { kind: "too_many", retryAfterMs: slot.retryAfterMs, message: "This cart asked for too many new CoinGate invoices; the open one can still be paid." }
        const attempt: InvoiceAttempt = {}
        try {
          await withInvoiceAttempt(attempt, () =>
            createPaymentSessionsWorkflow(container).run({
              input: { payment_collection_id: collectionId, provider_id: providerId, customer_id: request.customerId, data: request.data },
            })
          )
        } catch (e) {
          if (attempt.outcome !== "made" && attempt.outcome !== "unknown") await giveBackNewInvoiceSlot(container, cartKey, slot.takenAt)
          if (attempt.outcome === "not_made" && attempt.retryAfterMs !== undefined) {
            return { kind: "too_many", retryAfterMs: attempt.retryAfterMs, message: "CoinGate is busy: no invoice was made. Try again after Retry-After seconds." }
          }
          if (attempt.outcome === "unknown") return { kind: "unavailable" }
          throw e
        }
        return { kind: "collection" }
      },
      { timeout: LOCK_WAIT_SECONDS }
    )
  } catch (e) {
    if (!started) return { kind: "too_many", retryAfterMs: BUSY_RETRY_AFTER_MS, message: "Another invoice for this cart is being made: try again shortly." }
    throw e
  }
}

async function loadCollection(container: MedusaContainer, id: string): Promise<CollectionForReuse | null> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "payment_collection",
    fields: ["id", "amount", "currency_code", "cart.id", "payment_sessions.id", "payment_sessions.provider_id", "payment_sessions.status", "payment_sessions.data"],
    filters: { id },
  })
  const collection = data[0] as any
  if (!collection) return null
  return {
    amount: collection.amount,
    currency_code: collection.currency_code,
    cart_id: collection.cart?.id ?? null,
    payment_sessions: collection.payment_sessions ?? [],
  }
}
