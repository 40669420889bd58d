import { currencyDigits } from "../../shared/amounts"
import { compareDecimal, subtractDecimal, sumInDigits } from "../../shared/decimal"

/**
 * The one cap on money out of a payment (docs/refunds.md "The cap", docs/security.md), for refunds and
 * payouts alike, checked inside the payment's lock from the sources of truth: Medusa's captures and
 * refund rows, the plugin's records of what CoinGate made, and the intents that may have left (in
 * flight, or of unknown outcome). Amounts are exact decimal strings in the payment currency's precision.
 *
 *   room = captured − (Medusa refunds no CoinGate record or pending intent pays
 *                      + CoinGate refunds and send requests made (not final-and-unsent)
 *                      + intents in flight or unknown)
 *
 * A CoinGate refund Medusa also records (its refund row is linked to the record) counts once. A refund
 * Medusa made on its own (order canceled, Medusa's Refund button) counts as owed to the shopper until
 * the merchant pays it, less what CoinGate already sent that Medusa could not record (`owedMedusaRefunds`):
 * that money reached the shopper, so it pays the owed refunds first. A new Medusa refund also needs
 * Medusa's own room (captured − Medusa's refunds). When Medusa had room for only part of a CoinGate refund,
 * its row records that part and the rest (the record's amount beyond its row's) pays the owed refunds the same way.
 */

export type CapMoney = {
  currencyCode: string
  captured: string
  /** Medusa's refund rows of the payment, oldest first. */
  medusaRefunds: Array<{ id: string; amount: string }>
  /**
   * The plugin's records: what CoinGate made; `sent` false when it ended without sending anything.
   * `purpose` "settle": it paid a refund Medusa made on its own (the row it is linked to), not a new one.
   */
  records: Array<{ id?: string; medusa_refund_id: string | null; amount: string; sent: boolean; purpose?: "new" | "settle" }>
  /** Intents that may have left and have no record yet: requested (in flight) or unknown. */
  pending: Array<{ medusa_refund_id: string | null; amount: string }>
}

export type CapFigures = { committed: string; room: string; medusaRoom: string }

/** Adds non-negative amounts exactly, in the currency's precision. */
export function sumAmounts(values: string[], currencyCode: string): string {
  return sumInDigits(values, currencyDigits(currencyCode))
}

/** A negative difference reads as nothing left. */
export const maxZero = (v: string) => (v.startsWith("-") ? subtractDecimal("0", "0", v.split(".")[1]?.length ?? 0) : v)

/**
 * The Medusa refunds made by Medusa on its own (Refund button, order cancel), each with what is still owed
 * on it. Money CoinGate sent, or may have sent, that no Medusa refund row records has reached the shopper,
 * so it pays these, oldest first (without this, the card would list the whole Medusa refund "to refund by
 * hand" and the merchant would send that money a second time; issue 22). That pool is:
 * - a sent record linked to no row (Medusa refused to record it), and an intent in flight or unknown;
 * - what a sent record linked to a row carries beyond the row's amount (Medusa had room for part of it).
 * A row paid through CoinGate ("Pay through CoinGate") was paid what was owed on it then: the rest of it
 * (less than the row when the pool paid part) still takes its share of the pool first, so that money is
 * never counted for two rows. A row of a new refund made by the form, or with a settle in flight, owes nothing.
 */
export function owedMedusaRefunds(m: CapMoney): Array<{ id: string; amount: string; owed: string }> {
  const digits = currencyDigits(m.currencyCode)
  const zero = subtractDecimal("0", "0", digits)
  const linked = new Map<string, CapMoney["records"]>()
  for (const r of m.records) if (r.medusa_refund_id) linked.set(r.medusa_refund_id, [...(linked.get(r.medusa_refund_id) ?? []), r])
  const settling = new Set(m.pending.filter((p) => p.medusa_refund_id).map((p) => p.medusa_refund_id!))
  const rowAmount = new Map(m.medusaRefunds.map((r) => [r.id, r.amount]))
  const pool: string[] = [...m.records.filter((r) => r.sent && !r.medusa_refund_id).map((r) => r.amount), ...m.pending.filter((p) => !p.medusa_refund_id).map((p) => p.amount)]
  /** What of each row paid through CoinGate the pool must still pay (the part the settle did not pay). */
  const need = new Map<string, string>()
  for (const [rowId, records] of linked) {
    const row = rowAmount.get(rowId)
    if (row === undefined || records.some((r) => !r.sent)) continue
    const covered = sumAmounts(records.map((r) => r.amount), m.currencyCode)
    if (compareDecimal(covered, row) > 0) pool.push(subtractDecimal(covered, row, digits))
    else if (records.every((r) => r.purpose === "settle")) need.set(rowId, subtractDecimal(row, covered, digits))
  }
  let unrecorded = sumAmounts(pool, m.currencyCode)
  const owedRows: Array<{ id: string; amount: string; owed: string }> = []
  for (const r of m.medusaRefunds) {
    if (settling.has(r.id)) continue
    const open = linked.has(r.id) ? need.get(r.id) ?? zero : r.amount
    const owed = maxZero(subtractDecimal(open, unrecorded, digits))
    unrecorded = maxZero(subtractDecimal(unrecorded, open, digits))
    if (!linked.has(r.id)) owedRows.push({ id: r.id, amount: r.amount, owed })
  }
  return owedRows
}

/** What is committed out of the payment, and the room left for a new refund or payout. */
export function capFigures(m: CapMoney): CapFigures {
  const digits = currencyDigits(m.currencyCode)
  const owed = owedMedusaRefunds(m).map((r) => r.owed)
  const made = m.records.filter((r) => r.sent).map((r) => r.amount)
  const committed = sumAmounts([...owed, ...made, ...m.pending.map((p) => p.amount)], m.currencyCode)
  const medusaRefunded = sumAmounts(m.medusaRefunds.map((r) => r.amount), m.currencyCode)
  return {
    committed,
    room: maxZero(subtractDecimal(m.captured, committed, digits)),
    medusaRoom: maxZero(subtractDecimal(m.captured, medusaRefunded, digits)),
  }
}

/**
 * Null when `amount` may leave now, else why not (for the admin). `settle`: paying Medusa refund
 * `medusaRefundId`, already counted as owed; `new`: a new refund Medusa records too.
 */
export function capError(m: CapMoney, ask: { amount: string; purpose: "new" | "settle"; medusaRefundId?: string | null }): string | null {
  const currency = m.currencyCode.toUpperCase()
  if (compareDecimal(ask.amount, "0") <= 0) return "amount must be greater than 0."
  const settling = ask.purpose === "settle" && ask.medusaRefundId && m.medusaRefunds.some((r) => r.id === ask.medusaRefundId)
  // Paying an owed Medusa refund moves it from "owed" to "made": the room must hold it without counting it twice.
  const without = settling ? { ...m, medusaRefunds: m.medusaRefunds.filter((r) => r.id !== ask.medusaRefundId) } : m
  const { room, medusaRoom } = capFigures(without)
  if (compareDecimal(ask.amount, room) > 0) {
    return `amount is more than what can still leave through CoinGate (${room} ${currency} of ${m.captured} captured: refunds made, in flight or of unknown outcome, and refunds Medusa recorded, count).`
  }
  if (ask.purpose === "new" && compareDecimal(ask.amount, medusaRoom) > 0) return `amount is more than what can still be refunded (${medusaRoom} ${currency}).`
  return null
}
