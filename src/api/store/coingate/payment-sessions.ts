import { refetchEntity, type AuthenticatedMedusaRequest, type MedusaNextFunction, type MedusaRequest, type MedusaResponse } from "@medusajs/framework/http"
import { BUSY_RETRY_AFTER_MS, takeSessionRequest } from "../../../sources/session-request"

/** Medusa's own default answer of this route (`retrievePaymentCollectionTransformQueryConfig`). */
const DEFAULT_FIELDS = ["id", "currency_code", "amount", "*payment_sessions"]
const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)))

/** Before Medusa's `POST /store/payment-collections/:id/payment-sessions`: reuse, limits, 429/503 (src/sources/session-request.ts). */
export async function startCoinGateSession(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const body = (req.validatedBody ?? req.body) as { provider_id?: unknown; data?: Record<string, unknown> } | undefined
  const customerId = (req as AuthenticatedMedusaRequest).auth_context?.actor_id
  try {
    const outcome = await takeSessionRequest(req.scope, { collectionId: req.params.id, providerId: body?.provider_id, data: body?.data, customerId })
    if (outcome.kind === "pass") return next()
    if (outcome.kind === "too_many") {
      res.setHeader("Retry-After", seconds(outcome.retryAfterMs))
      return res.status(429).json({ type: "too_many_requests", message: outcome.message })
    }
    if (outcome.kind === "unavailable") {
      res.setHeader("Retry-After", seconds(BUSY_RETRY_AFTER_MS))
      return res.status(503).json({ type: "coingate_unavailable", message: "CoinGate did not answer: try again shortly." })
    }
    // Medusa's own answer of the route: the payment collection, with the fields the request asked for.
    const fields = req.queryConfig?.fields ?? DEFAULT_FIELDS
    res.status(200).json({ payment_collection: await refetchEntity({ entity: "payment_collection", idOrFilter: req.params.id, scope: req.scope, fields }) })
  } catch (e) {
    return next(e)
  }
}
