import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { recordById } from "../../../../../payments/records"
import { paymentDetail } from "../../../../../console/views"
import { requireId } from "../../params"

/** `GET /admin/coingate/payments/:id`: one record (`cgpay_...`) as the order widget shows it, with its history and Medusa links. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const id = requireId(req.params.id, "id")
  const record = await recordById(req.scope, id)
  if (!record) throw new MedusaError(MedusaError.Types.NOT_FOUND, `CoinGate payment ${id} was not found.`)
  res.json({ payment: await paymentDetail(req.scope, record) })
}
