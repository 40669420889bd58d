import { currencyDigits } from "../shared/amounts"
import { compareDecimal, subtractDecimal } from "../coingate/decimal"

/**
 * Where a refund or payout is capped (docs/refunds.md, docs/security.md). Checked inside the payment's
 * lock, from the sources of truth: Medusa's captures and refund rows, and the plugin's own records of
 * what was sent through CoinGate. Amounts are exact decimal strings in the payment currency's precision.
 */

export type RefundCapInput = {
  currencyCode: string
  /** What Medusa captured on the payment. */
  captured: string
  /** What Medusa's refund rows of the payment add up to. */
  medusaRefunded: string
  /** What the plugin asked CoinGate to send back for the payment (refunds and payouts not known to have failed). */
  sentThroughCoinGate: string
  amount: string
  /** new: a new Medusa refund; settle: paying a Medusa refund already counted in `medusaRefunded`. */
  purpose: "new" | "settle"
}

/** Null when the amount may be refunded, else why not (for the admin). */
export function refundCapError(input: RefundCapInput): string | null {
  const digits = currencyDigits(input.currencyCode)
  const currency = input.currencyCode.toUpperCase()
  if (compareDecimal(input.amount, "0") <= 0) return "amount must be greater than 0."
  const unsent = subtractDecimal(input.captured, input.sentThroughCoinGate, digits)
  if (compareDecimal(input.amount, unsent) > 0) {
    return `amount is more than what can still be sent back through CoinGate (${maxZero(unsent)} ${currency} of ${input.captured} captured).`
  }
  if (input.purpose === "new") {
    const left = subtractDecimal(input.captured, input.medusaRefunded, digits)
    if (compareDecimal(input.amount, left) > 0) return `amount is more than what can still be refunded (${maxZero(left)} ${currency}).`
  }
  return null
}

/** Adds non-negative decimal strings exactly, in the currency's precision (a + b is a − (−b)). */
export function sumDecimals(values: string[], currencyCode: string): string {
  const digits = currencyDigits(currencyCode)
  return values.reduce((acc, v) => subtractDecimal(acc, `-${v}`, digits), subtractDecimal("0", "0", digits))
}

/** A negative difference reads as nothing left. */
const maxZero = (v: string) => (v.startsWith("-") ? subtractDecimal("0", "0", v.split(".")[1]?.length ?? 0) : v)
