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
