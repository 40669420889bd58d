import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaFacts } from "./rules/plan"
import type { CoinGateSessionData } from "./rules/session-data"

export type SessionView = {
  id: string
  status: string
  provider_id: string
  amount: any
  raw_amount?: any
  currency_code: string
  data: CoinGateSessionData & Record<string, unknown>
  payment?: { id: string; captured_at?: Date | string | null; canceled_at?: Date | string | null } | null
}

export type LoadedState = {
  session: SessionView
  cartId: string | null
  state: MedusaFacts
}

/** Reads what Medusa has for a payment session: the session, its payment, its cart and that cart's order. */
export async function loadPaymentState(container: MedusaContainer, sessionId: string): Promise<LoadedState | null> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const [session] = (await paymentModule.listPaymentSessions(
    { id: sessionId },
    { relations: ["payment"], select: ["id", "status", "provider_id", "amount", "raw_amount", "currency_code", "data", "payment_collection_id"] }
  )) as unknown as Array<SessionView & { payment_collection_id: string }>
  if (!session) {
    return null
  }

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: carts } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: session.payment_collection_id },
  })
  const cartId: string | null = carts[0]?.cart_id ?? null

  let orderId: string | null = null
  let orderCanceled = false
  if (cartId) {
    const { data: links } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
    orderId = links[0]?.order_id ?? null
    if (orderId) {
      const { data: orders } = await query.graph({ entity: "order", fields: ["id", "status"], filters: { id: orderId } })
      orderCanceled = orders[0]?.status === "canceled"
    }
  }

  return {
    session,
    cartId,
    state: {
      sessionStatus: session.status,
      captured: !!session.payment?.captured_at,
      hasCart: !!cartId,
      orderId,
      orderCanceled,
    },
  }
}
