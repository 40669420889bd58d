import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { toPriceAmount } from "../shared/amounts"
import { isCoinGateProviderId } from "../gateway/index"

/** Medusa's order and CoinGate payments as the refund form and the admin views read them. */

export type PaymentRow = {
  id: string
  provider_id: string
  currency_code: string
  amount: any
  raw_amount?: any
  data: Record<string, any> | null
  payment_session_id?: string | null
  captures?: Array<{ amount: any; raw_amount?: any }>
  refunds?: Array<{ id: string; amount: any; raw_amount?: any; created_at?: any; note?: string | null }>
}

export type OrderRow = {
  id: string
  email: string | null
  currency_code: string
  billing_address?: { first_name?: string | null; last_name?: string | null; country_code?: string | null } | null
  shipping_address?: { first_name?: string | null; last_name?: string | null; country_code?: string | null } | null
  payment_collections?: Array<{ payments?: PaymentRow[] }>
}

export async function loadOrder(container: MedusaContainer, orderId: string): Promise<OrderRow> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: [
      "id",
      "email",
      "currency_code",
      "billing_address.first_name",
      "billing_address.last_name",
      "billing_address.country_code",
      "shipping_address.first_name",
      "shipping_address.last_name",
      "shipping_address.country_code",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.amount",
      "payment_collections.payments.raw_amount",
      "payment_collections.payments.data",
      "payment_collections.payments.payment_session_id",
      "payment_collections.payments.captures.amount",
      "payment_collections.payments.captures.raw_amount",
      "payment_collections.payments.refunds.id",
      "payment_collections.payments.refunds.amount",
      "payment_collections.payments.refunds.raw_amount",
      "payment_collections.payments.refunds.created_at",
      "payment_collections.payments.refunds.note",
    ],
    filters: { id: orderId },
  })
  const order = data[0] as OrderRow | undefined
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found.`)
  return order
}

const sum = (rows: Array<{ amount: any; raw_amount?: any }> | undefined) =>
  (rows ?? []).reduce((acc, r) => MathBN.add(acc, MathBN.convert((r.raw_amount ?? r.amount) as any)), MathBN.convert(0))

export function paymentSummary(p: PaymentRow) {
  const currency = (p.currency_code ?? "").toUpperCase()
  const captured = toPriceAmount(sum(p.captures) as any, currency)
  const refunded = toPriceAmount(sum(p.refunds) as any, currency)
  const left = MathBN.sub(MathBN.convert(captured), MathBN.convert(refunded))
  const refundable = toPriceAmount((MathBN.lt(left, 0) ? MathBN.convert(0) : left) as any, currency)
  return { captured, refunded, refundable, currency }
}

export const coingatePayments = (order: OrderRow) =>
  (order.payment_collections ?? []).flatMap((c) => c?.payments ?? []).filter((p): p is PaymentRow => !!p && isCoinGateProviderId(p.provider_id))

/** One CoinGate payment of an order, read fresh (null when the order has no such CoinGate payment). */
export async function loadCoinGatePayment(container: MedusaContainer, orderId: string, paymentId: string): Promise<PaymentRow | null> {
  return coingatePayments(await loadOrder(container, orderId)).find((p) => p.id === paymentId) ?? null
}

/** The amount of one of the payment's Medusa refund rows, in the payment currency's precision (null when none). */
export function refundAmountOf(payment: PaymentRow, refundId: string): string | null {
  const row = (payment.refunds ?? []).find((r) => r.id === refundId)
  return row ? toPriceAmount(MathBN.convert((row.raw_amount ?? row.amount) as any) as any, (payment.currency_code ?? "").toUpperCase()) : null
}
