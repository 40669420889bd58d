import type { CoinGateCurrency, CoinGateLedgerAccount } from "../../coingate/refund-types"

/** Options for the admin's refund form: the coins and networks to refund in, and the ledger account to pay from. */

export type RefundCoin = { id: number; symbol: string; title: string; platforms: { id: number; title: string }[] }

/** CoinGate's supported-currencies answer (an array, or an object holding one) as coins with networks. */
export function normalizeRefundCurrencies(answer: unknown): RefundCoin[] {
  const list: unknown[] = Array.isArray(answer)
    ? answer
    : answer && typeof answer === "object"
      ? ((Object.values(answer as Record<string, unknown>).find(Array.isArray) as unknown[] | undefined) ?? [])
      : []
  const coins: RefundCoin[] = []
  for (const raw of list) {
    const c = raw as CoinGateCurrency
    if (!c || typeof c !== "object" || typeof c.id !== "number" || typeof c.symbol !== "string") continue
    if (c.kind && c.kind !== "crypto") continue
    const platforms = (Array.isArray(c.platforms) ? c.platforms : [])
      .filter((p) => p && typeof p.id === "number" && p.enabled !== false)
      .map((p) => ({ id: p.id, title: String(p.title ?? p.id_name ?? p.id) }))
    if (platforms.length) coins.push({ id: c.id, symbol: c.symbol.toUpperCase(), title: String(c.title ?? c.symbol), platforms })
  }
  return coins
}

/** The ledger account to pay from: the configured one, else the active account in `currency` (main first). */
export function pickLedgerAccount(accounts: CoinGateLedgerAccount[], opts: { configured?: string; currency?: string | null }): CoinGateLedgerAccount | null {
  if (opts.configured) return accounts.find((a) => a.id === opts.configured) ?? ({ id: opts.configured } as CoinGateLedgerAccount)
  const wanted = opts.currency?.toUpperCase()
  if (!wanted || wanted === "DO_NOT_CONVERT") return null
  const matching = accounts.filter((a) => a.currency?.symbol?.toUpperCase() === wanted && (a.status ?? "active") === "active")
  return matching.find((a) => a.account_type === "main") ?? matching[0] ?? null
}
