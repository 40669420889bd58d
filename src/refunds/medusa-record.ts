import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { currencyDigits, toPriceAmount } from "../shared/amounts"
import { compareDecimal, subtractDecimal } from "../shared/decimal"
import { capFigures, owedMedusaRefunds, sumAmounts } from "./rules/cap"
import { capMoneyOf } from "./cap-inputs"
import { loadCoinGatePayment } from "./orders"
import type { RefundIntent } from "./intents"
import { listIntents, updateIntent } from "./intents"
import { CoinGateRefundRecord, linkMedusaRefund, listRefundRecords, noteOnRecord } from "./records"

/**
 * Recording in Medusa a refund CoinGate already made for an admin intent (docs/refunds.md "Medusa's
 * books"). The admin route asks CoinGate itself; only then does Medusa's `refundPaymentWorkflow` record
 * the refund (the order's totals), and the provider's `refundPayment` sends nothing to CoinGate for any
 * caller. So Medusa's own Refund button, running at the same moment, can neither take nor break an
 * admin intent (issue 22, finding 4).
 *
 * The Medusa refund row is found by its note, which names the CoinGate refund or send request: a
 * refund Medusa makes concurrently (another admin, an order cancel) has another note. If Medusa refuses
 * (its own cap, after a concurrent Medusa refund), a Medusa refund of exactly that amount that nothing
 * pays is taken as its record (else the merchant would be told to send it by hand: twice); failing that,
 * the money first pays what is owed on Medusa's own refunds and Medusa records the rest, as far as its
 * room goes (`recordWhatFits`). What no Medusa row records still counts in the plugin's cap.
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
    return recordWhatFits(container, { record, intent, note, why: String(e?.message ?? e).slice(0, 300) })
  }
  const row = await medusaRowWithNote(container, record.payment_id, note)
  if (!row) return record
  await updateIntent(container, intent.id, { medusa_refund_id: row })
  return linkMedusaRefund(container, record.id, row)
}

/**
 * Medusa refused the whole amount: it has less room than the money CoinGate sent, because a refund Medusa
 * made on its own (its Refund button, an order cancel) got there first. That money reached the shopper, so
 * it first pays what is still owed on those Medusa refunds (cap.ts `owedMedusaRefunds`); Medusa records the
 * rest, as far as its room goes. Medusa's refunded total then equals what CoinGate sent, and the card lists
 * only what is really still owed.
 */
async function recordWhatFits(
  container: MedusaContainer,
  input: { record: CoinGateRefundRecord; intent: Pick<RefundIntent, "id" | "requested_by">; note: string; why: string }
): Promise<CoinGateRefundRecord> {
  const { record, intent, note, why } = input
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  // Medusa already counts a refund of exactly this amount that nothing pays (made at the same moment with
  // Medusa's own Refund button): that row is this money's Medusa record; listing it "to refund by hand"
  // would have the merchant send it a second time.
  const twin = await owedRowOfAmount(container, record)
  if (twin) {
    await updateIntent(container, intent.id, { medusa_refund_id: twin })
    await linkMedusaRefund(container, record.id, twin)
    return noteOnRecord(container, record.id, `Medusa refused to record it again (${why}); recorded by Medusa's refund ${twin} of the same amount, which nothing else pays.`)
  }
  const { owed, medusaRoom } = await medusaShare(container, record)
  const digits = currencyDigits(record.currency_code)
  const paysOwed = minDecimal(record.amount, owed)
  const rest = subtractDecimal(record.amount, paysOwed, digits)
  const part = minDecimal(rest, medusaRoom)
  const currency = record.currency_code.toUpperCase()
  if (compareDecimal(part, "0") > 0) {
    try {
      await refundPaymentWorkflow(container).run({ input: { payment_id: record.payment_id, amount: part as any, created_by: intent.requested_by ?? undefined, note } })
      const row = await medusaRowWithNote(container, record.payment_id, note)
      if (row) {
        await updateIntent(container, intent.id, { medusa_refund_id: row })
        await linkMedusaRefund(container, record.id, row, compareDecimal(part, record.amount) === 0 ? null : part)
        return noteOnRecord(
          container,
          record.id,
          `Medusa had no room for all of it (${why}): its refund ${row} records ${part} ${currency}; the other ${paysOwed} ${currency} paid refunds Medusa had made on its own.` +
            (compareDecimal(part, rest) < 0 ? ` ${subtractDecimal(rest, part, digits)} ${currency} is in no Medusa refund.` : "")
        )
      }
    } catch (e: any) {
      logger.warn(`CoinGate ${record.kind} ${record.coingate_id}: Medusa did not record ${part} ${record.currency_code} of it either: ${String(e?.message ?? e).slice(0, 300)}`)
    }
  }
  if (compareDecimal(paysOwed, "0") <= 0) logger.warn(`CoinGate ${record.kind} ${record.coingate_id} was made at CoinGate but Medusa did not record it: ${why}`)
  // Final: the check does not try again ("0"); the money counts as unrecorded in the cap and pays owed Medusa refunds.
  await linkMedusaRefund(container, record.id, null, "0")
  return noteOnRecord(
    container,
    record.id,
    compareDecimal(paysOwed, record.amount) === 0
      ? `not recorded in Medusa (${why}): it paid refunds Medusa had made on its own.`
      : `made at CoinGate, not recorded in Medusa (${why}); it still counts in what can be refunded.`
  )
}

/** What is still owed on the Medusa refunds nothing of the plugin's pays (this record left out), and Medusa's own room. */
async function medusaShare(container: MedusaContainer, record: CoinGateRefundRecord): Promise<{ owed: string; medusaRoom: string }> {
  const payment = record.order_id ? await loadCoinGatePayment(container, record.order_id, record.payment_id) : null
  if (!payment) return { owed: "0", medusaRoom: "0" }
  const money = await capMoneyOf(container, payment)
  const without = { ...money, records: money.records.filter((r) => r.id !== record.id) }
  return { owed: sumAmounts(owedMedusaRefunds(without).map((o) => o.owed), money.currencyCode), medusaRoom: capFigures(money).medusaRoom }
}

const minDecimal = (a: string, b: string) => (compareDecimal(a, b) <= 0 ? a : b)

/** A Medusa refund row of the record's payment and amount that no record or pending intent pays. */
async function owedRowOfAmount(container: MedusaContainer, record: CoinGateRefundRecord): Promise<string | null> {
  const [payment] = await container.resolve(Modules.PAYMENT).listPayments({ id: record.payment_id } as any, { relations: ["refunds"] })
  const rows = ((payment as any)?.refunds ?? []) as Array<{ id: string; amount: any; raw_amount?: any }>
  if (!rows.length) return null
  const paid = new Set<string>()
  for (const r of await listRefundRecords(container, { payment_id: record.payment_id })) if (r.medusa_refund_id) paid.add(r.medusa_refund_id)
  for (const i of await listIntents(container, { payment_id: record.payment_id, state: ["requested", "unknown", "sent"] })) if (i.medusa_refund_id) paid.add(i.medusa_refund_id)
  const row = rows.find((r) => !paid.has(r.id) && compareDecimal(toPriceAmount((r.raw_amount ?? r.amount) as any, record.currency_code), record.amount) === 0)
  return row?.id ?? null
}

async function medusaRowWithNote(container: MedusaContainer, paymentId: string, note: string): Promise<string | null> {
  const [payment] = await container.resolve(Modules.PAYMENT).listPayments({ id: paymentId } as any, { relations: ["refunds"] })
  return ((payment as any)?.refunds ?? []).find((r: any) => r.note === note)?.id ?? null
}
