import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { publicSessionData } from "./rules/session-data"
import { recordsService } from "./records"

/**
 * Versions up to 0.1.0 kept refund state in payments' data (`coingate_refund_request`, `coingate_refunds`,
 * `coingate_manual_refunds`), which the store API shows and a storefront could write. This removes every
 * key but the public ones from the data of CoinGate payments and payment sessions. Nothing is imported
 * from there: a refund the plugin made already has its `coingate_refund` record, and the refunds still to
 * make are read from Medusa's refund rows. Entries without a record cannot be told from forged ones, so
 * they are only reported. Idempotent; run by `medusa db:migrate` (src/migration-scripts).
 */
export async function removeInternalPaymentData(container: MedusaContainer): Promise<{ payments: number; sessions: number; unrecorded: string[] }> {
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const known = new Set(
    ((await (recordsService(container) as any).listCoinGateRefunds({}, { select: ["kind", "coingate_id"], take: null })) as Array<{ kind: string; coingate_id: string }>).map(
      (r) => `${r.kind}:${r.coingate_id}`
    )
  )
  const unrecorded: string[] = []
  const counts = { payment: 0, payment_session: 0 }
  for (const table of ["payment", "payment_session"] as const) {
    const rows: Array<{ id: string; data: Record<string, unknown> | null }> = await db(table).select("id", "data").where("provider_id", "like", "pp\\_coingate\\_%")
    for (const row of rows) {
      const data = row.data ?? {}
      const kept = publicSessionData(data)
      if (Object.keys(kept).length === Object.keys(data).length) continue
      for (const e of Array.isArray((data as any).coingate_refunds) ? (data as any).coingate_refunds : []) {
        const key = `${e?.kind === "payout" ? "payout" : "refund"}:${String(e?.coingate_id ?? "")}`
        if (!known.has(key)) unrecorded.push(`${table} ${row.id}: ${key}`)
      }
      await db(table).where("id", row.id).update({ data: JSON.stringify(kept) })
      counts[table]++
    }
  }
  if (counts.payment || counts.payment_session) {
    logger.info(`CoinGate: removed internal state from the data of ${counts.payment} payment(s) and ${counts.payment_session} payment session(s).`)
  }
  if (unrecorded.length) {
    logger.warn(`CoinGate: ${unrecorded.length} refund entr(y/ies) in payment data had no record and were not imported (they may have been forged): ${unrecorded.join("; ")}`)
  }
  return { payments: counts.payment, sessions: counts.payment_session, unrecorded }
}
