import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { coingateGateway, isCoinGateProviderId } from "../../../gateway/index"
import { orderTexts, withOrderText, type OrderText } from "../../../payments/rules/order-text"

/**
 * Before Medusa's `POST /store/payment-collections/:id/payment-sessions` with a CoinGate provider:
 * the invoice's title and description, from the cart of that payment collection (its items as the
 * backend has them) and the shop's name (the `storeName` option, else Medusa's store settings).
 * Only `provider_id` and the path's id are read from the request; the text is never taken from it.
 * Medusa's route then runs inside `withOrderText`, where the provider's `initiatePayment` reads it.
 */
export async function setCoinGateOrderText(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const providerId = (req.body as { provider_id?: unknown } | undefined)?.provider_id
  if (!isCoinGateProviderId(providerId)) return next()
  let text: OrderText | undefined
  try {
    text = await orderTextFor(req, providerId)
  } catch (e: any) {
    req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate: invoice text for payment collection ${req.params.id} not read: ${e?.message ?? e}`)
  }
  if (!text) return next()
  withOrderText(text, () => next())
}

async function orderTextFor(req: MedusaRequest, providerId: string): Promise<OrderText | undefined> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment_collection",
    fields: ["id", "cart.items.title", "cart.items.product_title", "cart.items.variant_title", "cart.items.quantity"],
    filters: { id: req.params.id },
  })
  const items = (data[0] as any)?.cart?.items
  if (!Array.isArray(items)) return undefined
  let storeName = coingateGateway(req.scope, providerId).storeName
  if (!storeName) {
    const { data: stores } = await query.graph({ entity: "store", fields: ["name"] })
    storeName = typeof (stores[0] as any)?.name === "string" ? (stores[0] as any).name : undefined
  }
  return orderTexts({ storeName, items })
}
