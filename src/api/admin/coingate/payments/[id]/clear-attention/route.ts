import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { CoinGatePaymentRecord, recordsService } from "../../../../../../payments/records"
import { paymentView } from "../../../../../../console/admin-views"
import { requireId } from "../../../params"

/**
 * `POST /admin/coingate/payments/:id/clear-attention`: a person has looked at a flagged
 * CoinGate payment (paid after cancellation, amount mismatch, invalid, paid for a
 * replaced session). Clears the flag on the record `:id` (`cgpay_...`); a later problem
 * raises a new one. Answers `{ payment }` in the order view's shape.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const id = requireId(req.params.id, "id")
  const service = recordsService(req.scope)
  const [record] = (await service.listCoinGatePayments({ id } as any, { take: 1 })) as unknown as CoinGatePaymentRecord[]
  if (!record) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `CoinGate payment ${id} was not found.`)
  }
  let updated = record
  if (record.attention) {
    updated = (await service.updateCoinGatePayments({ id, attention: null, attention_note: null } as any)) as unknown as CoinGatePaymentRecord
    req.scope
      .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      .info(`CoinGate: attention "${record.attention}" on CoinGate order ${record.coingate_order_id} marked as handled by ${req.auth_context?.actor_id ?? "an admin"}.`)
  }
  res.json({ payment: paymentView(req.scope, { record: updated, session: null }) })
}
