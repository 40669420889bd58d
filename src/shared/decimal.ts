/**
 * THE decimal module: exact decimal strings (never floats) for comparing, subtracting and adding the amounts
 * CoinGate and Medusa report. No import at all, so the admin bundle uses it too (src/admin/components/payment-details.tsx).
 * Medusa's own amounts in a currency's precision (MathBN) are src/shared/amounts.ts.
 */

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

/**
 * Exact sum of decimal strings ("0.00012345" + "0.1" = "0.10012345"), without floating
 * point, written with as many decimals as the most precise input (as CoinGate writes
 * amounts: "0.00158000"). Null when there is nothing to add.
 */
export function sumDecimals(values: (string | null | undefined)[]): string | null {
  const parsed = values
    .filter((v): v is string => typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim()))
    .map((v) => {
      const [int, frac = ""] = v.trim().replace(/^-/, "").split(".")
      return { negative: v.trim().startsWith("-"), int, frac }
    })
  if (parsed.length === 0) return null
  const scale = Math.max(...parsed.map((p) => p.frac.length))
  let total = BigInt(0)
  for (const p of parsed) {
    const units = BigInt(p.int + p.frac.padEnd(scale, "0"))
    total += p.negative ? -units : units
  }
  const negative = total < BigInt(0)
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0")
  const int = digits.slice(0, digits.length - scale)
  const frac = scale ? digits.slice(digits.length - scale) : ""
  return `${negative ? "-" : ""}${int}${frac ? `.${frac}` : ""}`
}

/** Whether two decimal strings are the same number ("0.10" and "0.1"). */
export function sameDecimal(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false
  const diff = sumDecimals([a, b.trim().startsWith("-") ? b.trim().slice(1) : `-${b.trim()}`])
  return diff !== null && /^-?0(\.0+)?$/.test(diff)
}

/** Adds non-negative decimal strings exactly, written in `digits` decimals (a + b is a − (−b)). */
export function sumInDigits(values: string[], digits: number): string {
  return values.reduce((acc, v) => subtractDecimal(acc, `-${v}`, digits), subtractDecimal("0", "0", digits))
}
