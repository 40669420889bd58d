import type { MedusaContainer } from "@medusajs/framework/types"
import type { CapMoney } from "./rules/cap"
import { listIntents } from "./intents"
import { PaymentRow, paymentSummary, refundAmountOf } from "./orders"
import { listRefundRecords } from "./records"
import { outcomeOf } from "./rules/status"

/**
 * The cap's inputs for one payment (src/refunds/rules/cap.ts), read from the sources of truth: Medusa's refund
 * rows, the plugin's records, and the intents that may have left without a record yet (in flight, or
 * unknown because CoinGate's answer was lost). The admin route reads them inside the payment's lock; the
 * admin view reads them to show what can still be refunded.
 */
export async function capMoneyOf(container: MedusaContainer, payment: PaymentRow): Promise<CapMoney> {
  const summary = paymentSummary(payment)
  const records = await listRefundRecords(container, { payment_id: payment.id })
  const all = await listIntents(container, { payment_id: payment.id })
  const intents = all.filter((i) => i.state === "requested" || i.state === "unknown")
  const purposeOf = new Map(all.map((i) => [i.id, i.purpose]))
  return {
    currencyCode: summary.currency,
    captured: summary.captured,
    medusaRefunds: [...(payment.refunds ?? [])]
      .sort((a, b) => new Date(a.created_at ?? 0).getTime() - new Date(b.created_at ?? 0).getTime() || a.id.localeCompare(b.id))
      .map((r) => ({ id: r.id, amount: refundAmountOf(payment, r.id)! })),
    records: records.map((r) => ({
      id: r.id,
      medusa_refund_id: r.medusa_refund_id,
      purpose: r.intent_id ? purposeOf.get(r.intent_id) : undefined,
      amount: r.amount,
      sent: outcomeOf(r.kind, r.status) !== "not_sent",
    })),
    pending: intents.filter((i) => !i.refund_record_id).map((i) => ({ medusa_refund_id: i.medusa_refund_id, amount: i.amount })),
  }
}
