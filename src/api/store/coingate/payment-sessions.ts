import { refetchEntity, type AuthenticatedMedusaRequest, type MedusaNextFunction, type MedusaRequest, type MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createPaymentSessionsWorkflow } from "@medusajs/medusa/core-flows"
import { coingateGateway, isCoinGateProviderId } from "../../../gateway/index"
import {
  giveBackNewInvoiceSlot,
  newInvoiceLockKey,
  takeNewInvoiceSlot,
  withInvoiceAttempt,
  type InvoiceAttempt,
} from "../../../gateway/new-invoices"
import { openInvoiceOf, type CollectionForReuse } from "../../../sources/reuse-invoice"
import type { StorefrontData } from "../../../gateway/session-input"

/** How long a request waits for the cart's lock (another new invoice being made) before a 429. */
const LOCK_WAIT_SECONDS = 20
/** Retry-After of a request that could not have the lock in time, or whose invoice CoinGate left unanswered. */
const BUSY_RETRY_AFTER_MS = 2000
/** Medusa's own default answer of this route (`retrievePaymentCollectionTransformQueryConfig`). */
const DEFAULT_FIELDS = ["id", "currency_code", "amount", "*payment_sessions"]

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
 */
export async function startCoinGateSession(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const body = (req.validatedBody ?? req.body) as { provider_id?: unknown; data?: Record<string, unknown> } | undefined
  const providerId = body?.provider_id
  if (!isCoinGateProviderId(providerId)) return next()
  let storefront: StorefrontData
  try {
    storefront = coingateGateway(req.scope, providerId).storefrontData(body?.data)
  } catch {
    // Not a CoinGate provider of this store, or data the provider refuses: Medusa's route gives its answer.
    return next()
  }
  const collectionId = req.params.id
  const wanted = { providerId, storefront }
  const first = await loadCollection(req.scope, collectionId)
  if (!first) return next()
  if (await openInvoiceOf(req.scope, first, wanted)) return answerCollection(req, res)

  const cartKey = first.cart_id ?? collectionId
  let started = false
  try {
    await req.scope.resolve(Modules.LOCKING).execute(
      newInvoiceLockKey(cartKey),
      async () => {
        started = true
        // Another request may have made the invoice while this one waited.
        const current = await loadCollection(req.scope, collectionId)
        if (current && (await openInvoiceOf(req.scope, current, wanted))) return answerCollection(req, res)
        const slot = await takeNewInvoiceSlot(req.scope, cartKey)
        if (!slot.ok) return tooMany(res, slot.retryAfterMs, "This cart asked for too many new CoinGate invoices; the open one can still be paid.")
        const attempt: InvoiceAttempt = {}
        try {
          await withInvoiceAttempt(attempt, () =>
            createPaymentSessionsWorkflow(req.scope).run({
              input: { payment_collection_id: collectionId, provider_id: providerId, customer_id: (req as AuthenticatedMedusaRequest).auth_context?.actor_id, data: body?.data },
            })
          )
        } catch (e) {
          if (attempt.outcome !== "made" && attempt.outcome !== "unknown") await giveBackNewInvoiceSlot(req.scope, cartKey, slot.takenAt)
          if (attempt.outcome === "not_made" && attempt.retryAfterMs !== undefined) {
            return tooMany(res, attempt.retryAfterMs, "CoinGate is busy: no invoice was made. Try again after Retry-After seconds.")
          }
          if (attempt.outcome === "unknown") {
            res.setHeader("Retry-After", String(Math.ceil(BUSY_RETRY_AFTER_MS / 1000)))
            return res.status(503).json({ type: "coingate_unavailable", message: "CoinGate did not answer: try again shortly." })
          }
          throw e
        }
        return answerCollection(req, res)
      },
      { timeout: LOCK_WAIT_SECONDS }
    )
  } catch (e) {
    if (!started && !res.headersSent) return tooMany(res, BUSY_RETRY_AFTER_MS, "Another invoice for this cart is being made: try again shortly.")
    return next(e)
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

/** Medusa's own answer of the route: the payment collection, with the fields the request asked for. */
async function answerCollection(req: MedusaRequest, res: MedusaResponse) {
  const payment_collection = await refetchEntity({
    entity: "payment_collection",
    idOrFilter: req.params.id,
    scope: req.scope,
    fields: req.queryConfig?.fields ?? DEFAULT_FIELDS,
  })
  res.status(200).json({ payment_collection })
}

function tooMany(res: MedusaResponse, retryAfterMs: number, message: string) {
  res.setHeader("Retry-After", String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
  res.status(429).json({ type: "too_many_requests", message })
}
