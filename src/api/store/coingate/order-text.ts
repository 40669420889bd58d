import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { isCoinGateProviderId } from "../../../gateway/index"
import { collectionOrderText } from "../../../payments/collection-order-text"
import { withOrderText, type OrderText } from "../../../payments/rules/order-text"

/**
 * Before Medusa's `POST /store/payment-collections/:id/payment-sessions` with a CoinGate provider: the
 * invoice's title and description (src/payments/collection-order-text.ts). Only `provider_id` and the
 * path's id are read from the request; the text is never taken from it. Medusa's route then runs inside
 * `withOrderText`, where the provider's `initiatePayment` reads it.
 */
export async function setCoinGateOrderText(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const providerId = (req.body as { provider_id?: unknown } | undefined)?.provider_id
  if (!isCoinGateProviderId(providerId)) return next()
  let text: OrderText | undefined
  try {
    text = await collectionOrderText(req.scope, req.params.id, providerId)
  } catch (e: any) {
    req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate: invoice text for payment collection ${req.params.id} not read: ${e?.message ?? e}`)
  }
  if (!text) return next()
  withOrderText(text, () => next())
}
