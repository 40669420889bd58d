import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { syncRecord } from "../../../../../../sources/sync-session"
import { recordById } from "../../../../../../payments/records"
import { paymentDetail } from "../../../../../../console/views"
import { requireId } from "../../../params"

/**
 * `POST /admin/coingate/payments/:id/refresh`: re-reads the record's CoinGate order and applies it through
 * the order widget's refresh path (`syncRecord`: syncSession's read and apply, for the order the record
 * names rather than the session's newest). Works for records with no Medusa order or whose payment session
 * Medusa deleted (paid for a replaced session). A read that fails (CoinGate down) is reported in
 * `refreshed.error` with the record as it was.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const id = requireId(req.params.id, "id")
  const record = await recordById(req.scope, id)
  if (!record) throw new MedusaError(MedusaError.Types.NOT_FOUND, `CoinGate payment ${id} was not found.`)
  let refreshed: { ok: boolean; status?: string; error?: string }
  try {
    const outcome = await syncRecord(req.scope, record, "admin")
    refreshed = { ok: true, status: outcome.coingateStatus }
  } catch (e: any) {
    const error = e?.message ?? String(e)
    req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate: refreshing CoinGate payment ${id} failed: ${error}`)
    refreshed = { ok: false, error }
  }
  res.json({ payment: await paymentDetail(req.scope, (await recordById(req.scope, id)) ?? record), refreshed })
}
