import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { coingateGateway } from "../gateway/index"
import { orderTexts, type OrderText } from "./rules/order-text"

/**
 * The CoinGate invoice's title and description for a payment collection: its cart's items as the backend
 * has them, and the shop's name (the provider's `storeName` option, else Medusa's store settings).
 * Undefined when the collection has no cart.
 */
export async function collectionOrderText(container: MedusaContainer, collectionId: string, providerId: string): Promise<OrderText | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment_collection",
    fields: ["id", "cart.items.title", "cart.items.product_title", "cart.items.variant_title", "cart.items.quantity"],
    filters: { id: collectionId },
  })
  const items = (data[0] as any)?.cart?.items
  if (!Array.isArray(items)) return undefined
  let storeName = coingateGateway(container, providerId).storeName
  if (!storeName) {
    const { data: stores } = await query.graph({ entity: "store", fields: ["name"] })
    storeName = typeof (stores[0] as any)?.name === "string" ? (stores[0] as any).name : undefined
  }
  return orderTexts({ storeName, items })
}
