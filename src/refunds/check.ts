import type { MedusaContainer } from "@medusajs/framework/types"
import { listIntents } from "./intents"
import { coingatePayments, loadOrder } from "./orders"
import { lockOf } from "./records"
import { needsCheck, resolvePaymentIntents, ResolveSummary, unrecordedInMedusa } from "./resolve"

/**
 * Where resolution runs outside a new refund: the admin's "Check CoinGate" (one order) and the
 * scheduled job (every payment with an unresolved intent). Always inside the payment's lock, the same
 * lock a new refund or payout takes, so a resolution and a new request never see different books.
 */

const lockKey = (paymentId: string) => `coingate:refund-payment:${paymentId}`

export async function checkPayment(container: MedusaContainer, paymentId: string): Promise<ResolveSummary> {
  return lockOf(container).execute(lockKey(paymentId), () => resolvePaymentIntents(container, paymentId), { timeout: 60 })
}

/** "Check CoinGate" on an order: every CoinGate payment of it. */
export async function checkOrderIntents(container: MedusaContainer, orderId: string): Promise<void> {
  const order = await loadOrder(container, orderId)
  for (const payment of coingatePayments(order)) {
    if (await needsCheck(container, payment.id)) await checkPayment(container, payment.id)
  }
}

/** The job: every payment with an intent of unknown outcome (or left in flight by a stopped process), or a refund Medusa never recorded. */
export async function checkAllUnresolved(container: MedusaContainer): Promise<{ payments: number } & ResolveSummary> {
  const intents = await listIntents(container, { state: ["unknown", "requested"] })
  const paymentIds = [...new Set([...intents.map((i) => i.payment_id), ...(await unrecordedInMedusa(container)).map((r) => r.payment_id)])]
  const total: { payments: number } & ResolveSummary = { payments: 0, found: 0, released: 0, still_unknown: 0, errors: 0 }
  for (const paymentId of paymentIds) {
    if (!(await needsCheck(container, paymentId))) continue
    const s = await checkPayment(container, paymentId)
    total.payments++
    total.found += s.found
    total.released += s.released
    total.still_unknown += s.still_unknown
    total.errors += s.errors
  }
  return total
}
