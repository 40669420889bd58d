import type { MedusaContainer } from "@medusajs/framework/types"
import { COINGATE } from "./store"

/** A callback token as CoinGate would keep in an order: it must never appear in any console answer. */
export const RECORD_TOKEN = "cgtok_must_never_leak_0123456789"

let nextOrderId = 900_000

export type RecordInput = Partial<{
  status: string
  medusa_state: string
  attention: string | null
  attention_note: string | null
  price_amount: string
  price_currency: string
  pay_amount: string | null
  pay_currency: string | null
  email: string | null
  cart_id: string | null
  order_id: string | null
  order_display_id: number | null
  created_at: Date
  payment_url: string
}>

/**
 * Records written straight through the plugin's module service (the way saveRecord writes them), for the
 * console's filters, totals and export: as many as a test needs, without going through checkout.
 */
export async function insertRecords(container: MedusaContainer, inputs: RecordInput[]) {
  const service: any = container.resolve("coingate")
  const rows = inputs.map((r) => {
    const id = nextOrderId++
    const status = r.status ?? "paid"
    const snapshot = {
      id,
      status,
      order_id: `payses_console_${id}`,
      price_amount: r.price_amount ?? "10.0",
      price_currency: r.price_currency ?? "EUR",
      pay_amount: r.pay_amount ?? null,
      pay_currency: r.pay_currency ?? null,
      payment_url: r.payment_url ?? `http://127.0.0.1:1/invoice/${id}`,
      token: RECORD_TOKEN,
    }
    return {
      coingate_order_id: String(id),
      payment_session_id: `payses_console_${id}`,
      provider_id: COINGATE,
      cart_id: r.cart_id ?? null,
      order_id: r.order_id ?? null,
      status,
      history: [{ status, at: new Date().toISOString(), source: "callback" }],
      snapshot,
      medusa_state: r.medusa_state ?? "captured",
      attention: r.attention ?? null,
      attention_note: r.attention_note ?? null,
      price_amount: snapshot.price_amount,
      price_currency: snapshot.price_currency,
      pay_amount: snapshot.pay_amount,
      pay_currency: snapshot.pay_currency,
      email: r.email ?? null,
      order_display_id: r.order_display_id ?? null,
      ...(r.created_at ? { created_at: r.created_at } : {}),
    }
  })
  const created = await service.createCoinGatePayments(rows)
  return (Array.isArray(created) ? created : [created]) as Array<{ id: string; coingate_order_id: string }>
}
