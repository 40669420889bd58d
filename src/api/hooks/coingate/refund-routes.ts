import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { RefundKind } from "../../../refunds/rules/request"
import { handleRefundCallback } from "../../../refunds/callbacks"
import { answerText, recordCallback } from "../../../callback-log/record"

/** The route templates the log stores for the tokenized callbacks: never the token itself. */
export const REFUND_CALLBACK_ROUTE = "/hooks/coingate/refunds/:token"
export const SEND_REQUEST_CALLBACK_ROUTE = "/hooks/coingate/send-requests/:token"

/**
 * A refund or send-request callback route: answers through `handleRefundCallback`, then writes the
 * callback to the log (the URL token never: the route template, and the token scrubbed from the body).
 */
export async function answerRefundCallback(req: MedusaRequest, res: MedusaResponse, kind: RefundKind) {
  const receivedAt = new Date()
  const token = String(req.params.token ?? "")
  const answer = await handleRefundCallback(req.scope, kind, token, req.body)
  res.status(answer.status).json(answer.body)
  const posted = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>
  await recordCallback(req.scope, {
    kind: kind === "refund" ? "refund" : "send_request",
    route: kind === "refund" ? REFUND_CALLBACK_ROUTE : SEND_REQUEST_CALLBACK_ROUTE,
    outcome: answer.outcome,
    answerStatus: answer.status,
    answer: answerText(answer.body),
    coingateOrderId: answer.coingateOrderId ?? (kind === "refund" ? (posted.order_id as string | number | undefined) : null),
    coingateRef: posted.id as string | number | undefined,
    providerId: answer.providerId,
    body: req.body,
    secrets: [token],
    receivedAt,
  })
}
