import { currencyDigits } from "./amounts"

/** Exact decimal strings of refund amounts (never floats): parsing what a person typed, comparing, subtracting. */

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

/** Compares two decimal strings exactly. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [ai, af = ""] = a.split(".")
  const [bi, bf = ""] = b.split(".")
  const len = Math.max(af.length, bf.length)
  const x = BigInt(ai + af.padEnd(len, "0"))
  const y = BigInt(bi + bf.padEnd(len, "0"))
  return x < y ? -1 : x > y ? 1 : 0
}

/** a − b for decimal strings, in `digits` decimals (never below zero is not enforced). */
export function subtractDecimal(a: string, b: string, digits: number): string {
  const scale = (s: string) => {
    const [i, f = ""] = s.split(".")
    return BigInt(i.replace("-", "") + f.padEnd(digits, "0").slice(0, digits)) * (s.startsWith("-") ? -1n : 1n)
  }
  const v = scale(a) - scale(b)
  const neg = v < 0n
  const abs = (neg ? -v : v).toString().padStart(digits + 1, "0")
  const out = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`
  return neg ? `-${out}` : out
}
