import { BigNumberInput } from "@medusajs/framework/types"
import { MathBN, defaultCurrencies } from "@medusajs/framework/utils"

const ROUND_HALF_UP = 4 // bignumber.js rounding mode

/** Decimal digits of a currency (JPY 0, EUR 2, KWD 3); 2 for codes Medusa does not know. */
export function currencyDigits(currencyCode: string): number {
  return defaultCurrencies[currencyCode.toUpperCase()]?.decimal_digits ?? 2
}

/**
 * A Medusa amount (number, string or raw `{value, precision}`) as the decimal string
 * CoinGate expects as `price_amount`, in the currency's precision: 10.5 EUR -> "10.50",
 * 1050 JPY -> "1050", 3.125 KWD -> "3.125". Exact decimal arithmetic, never floats.
 */
export function toPriceAmount(amount: BigNumberInput, currencyCode: string): string {
  const digits = currencyDigits(currencyCode)
  const value = MathBN.convert(amount as any)
  if (!value.isFinite() || value.isNaN()) {
    throw new Error(`Not a valid amount: ${JSON.stringify(amount)}`)
  }
  return value.decimalPlaces(digits, ROUND_HALF_UP).toFixed(digits)
}

/**
 * True when CoinGate's `price_amount` (a decimal string) is the session's amount in the
 * currency's precision. "10.5" and "10.50" are equal; "10.49" and "10.50" are not.
 */
export function isSameAmount(coingateAmount: unknown, sessionAmount: BigNumberInput, currencyCode: string): boolean {
  if (typeof coingateAmount !== "string" && typeof coingateAmount !== "number") {
    return false
  }
  if (typeof coingateAmount === "string" && !/^\d+(\.\d+)?$/.test(coingateAmount.trim())) {
    return false
  }
  const expected = MathBN.convert(toPriceAmount(sessionAmount, currencyCode))
  return MathBN.eq(MathBN.convert(String(coingateAmount).trim()), expected)
}

/**
 * An amount CoinGate answered ("79.0", "4") as a person reads it in `currencyCode`: "79.00 EUR"'s number.
 * Anything that is not a plain decimal, or a currency with no code, is shown as it came.
 */
export function displayAmount(value: string | null, currencyCode: string | null | undefined): string | null {
  if (value === null || !currencyCode || !/^\d+(\.\d+)?$/.test(value.trim())) return value
  const digits = currencyDigits(currencyCode)
  const [, frac = ""] = value.trim().split(".")
  // Never rounds: a value with more digits than the currency has keeps them.
  return frac.replace(/0+$/, "").length > digits ? value : toPriceAmount(value.trim(), currencyCode)
}

/** A form field as trimmed text (a finite number as its text), or undefined. */
export const formText = (v: unknown): string | undefined => (typeof v === "string" ? v.trim() : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined)

/**
 * An amount given by a person in `currencyCode`, exactly: a plain decimal with at most the currency's
 * digits ("10.5" and "10.50" are fine in EUR, "10.505" is not; JPY takes no decimals). Returns the
 * amount in the currency's precision ("10.50") or null.
 */
export function parseExactAmount(value: unknown, currencyCode: string): string | null {
  const s = formText(value)
  if (!s || !/^\d{1,15}(\.\d{1,12})?$/.test(s)) return null
  const digits = currencyDigits(currencyCode)
  const [int, frac = ""] = s.split(".")
  const significant = frac.replace(/0+$/, "")
  if (significant.length > digits) return null
  const normalizedInt = int.replace(/^0+(?=\d)/, "")
  return digits === 0 ? normalizedInt : `${normalizedInt}.${frac.padEnd(digits, "0").slice(0, digits)}`
}
