import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { RefundKind } from "../../../refunds/rules/request"
import { takeRefundCallback } from "../../../sources/refund-callback"

export { REFUND_CALLBACK_ROUTE, SEND_REQUEST_CALLBACK_ROUTE } from "../../../sources/refund-callback"

/** A refund or send-request callback route (src/sources/refund-callback.ts: answer, then the log row). */
export async function answerRefundCallback(req: MedusaRequest, res: MedusaResponse, kind: RefundKind) {
  const token = String(req.params.token ?? "")
  await takeRefundCallback(req.scope, { kind, token, body: req.body }, (status, body) => res.status(status).json(body))
}
