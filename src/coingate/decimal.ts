/** Exact decimal strings (never floats): comparing and subtracting amounts CoinGate and Medusa report. */

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
