import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refundOptions } from "../../../../refunds/views"
import { sendRefundError } from "../../../../refunds/rules/http-errors"
import { requireId } from "../params"

/**
 * `GET /admin/coingate/refund-options[?order_id=][&provider_id=]`: what the refund form offers: the coins
 * and networks CoinGate refunds to (`currencies[].platforms[]`), the ledger accounts, the default account
 * (the provider option, else the one in the order's settlement currency), and whether payout exchanges
 * are confirmed automatically.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  try {
    const orderId = req.query.order_id ? requireId(req.query.order_id, "order_id") : null
    const providerId = req.query.provider_id ? requireId(req.query.provider_id, "provider_id") : null
    res.json(await refundOptions(req.scope, { orderId, providerId }))
  } catch (e) {
    sendRefundError(res, e)
  }
}
