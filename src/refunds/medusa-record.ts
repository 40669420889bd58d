import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import type { RefundIntent } from "./intents"
import { updateIntent } from "./intents"
import { CoinGateRefundRecord, linkMedusaRefund, noteOnRecord } from "./records"

/**
 * Recording in Medusa a refund CoinGate already made for an admin intent (docs/refunds.md "Medusa's
 * books"). The admin route asks CoinGate itself; only then does Medusa's `refundPaymentWorkflow` record
 * the refund (the order's totals), and the provider's `refundPayment` sends nothing to CoinGate for any
 * caller. So Medusa's own Refund button, running at the same moment, can neither take nor break an
 * admin intent (issue 22, finding 4).
 *
 * The Medusa refund row is found by its note, which names the CoinGate refund or send request: a
 * refund Medusa makes concurrently (another admin, an order cancel) has another note. If Medusa refuses
 * (its own cap, after a concurrent Medusa refund), the record stays "made at CoinGate, not recorded in
 * Medusa" and still counts in the plugin's cap.
 */

/** The note of the Medusa refund row of a CoinGate refund or send request: how the row is found again. */
export function medusaNoteFor(record: Pick<CoinGateRefundRecord, "kind" | "coingate_id" | "reason">): string {
  const what = record.kind === "payout" ? "send request" : "refund"
  return `${record.reason ?? "Refund"} (CoinGate ${what} ${record.coingate_id})`.slice(0, 1000)
}

export async function recordInMedusa(
  container: MedusaContainer,
  input: { record: CoinGateRefundRecord; intent: Pick<RefundIntent, "id" | "requested_by"> }
): Promise<CoinGateRefundRecord> {
  const { record, intent } = input
  const note = medusaNoteFor(record)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  // Already recorded (a process stopped between Medusa's refund and the link): link it, never a second row.
  const existing = await medusaRowWithNote(container, record.payment_id, note)
  if (existing) {
    await updateIntent(container, intent.id, { medusa_refund_id: existing })
    return linkMedusaRefund(container, record.id, existing)
  }
  try {
    await refundPaymentWorkflow(container).run({
      input: { payment_id: record.payment_id, amount: record.amount as any, created_by: intent.requested_by ?? undefined, note },
    })
  } catch (e: any) {
    const why = String(e?.message ?? e).slice(0, 300)
    logger.warn(`CoinGate ${record.kind} ${record.coingate_id} was made at CoinGate but Medusa did not record it: ${why}`)
    return noteOnRecord(container, record.id, `made at CoinGate, not recorded in Medusa (${why}); it still counts in what can be refunded.`)
  }
  const row = await medusaRowWithNote(container, record.payment_id, note)
  if (!row) return record
  await updateIntent(container, intent.id, { medusa_refund_id: row })
  return linkMedusaRefund(container, record.id, row)
}

async function medusaRowWithNote(container: MedusaContainer, paymentId: string, note: string): Promise<string | null> {
  const [payment] = await container.resolve(Modules.PAYMENT).listPayments({ id: paymentId } as any, { relations: ["refunds"] })
  return ((payment as any)?.refunds ?? []).find((r: any) => r.note === note)?.id ?? null
}
