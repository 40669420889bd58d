import type { MedusaContainer } from "@medusajs/framework/types"
import type { RefundKind } from "../refunds/rules/request"
import { handleRefundCallback } from "../refunds/callbacks"
import { answerText, recordCallback } from "../callback-log/record"

/** The route templates the log stores for the tokenized callbacks: never the token itself. */
export const REFUND_CALLBACK_ROUTE = "/hooks/coingate/refunds/:token"
export const SEND_REQUEST_CALLBACK_ROUTE = "/hooks/coingate/send-requests/:token"

/**
 * A refund or send-request callback: answers through `handleRefundCallback` (`send`), then writes the
 * callback to the log (the URL token never: the route template, and the token scrubbed from the body).
 */
export async function takeRefundCallback(
  container: MedusaContainer,
  input: { kind: RefundKind; token: string; body: unknown },
  send: (status: number, body: unknown) => void
) {
  const { kind, token, body } = input
  const receivedAt = new Date()
  const answer = await handleRefundCallback(container, kind, token, body)
  send(answer.status, answer.body)
  const posted = (body && typeof body === "object" ? body : {}) as Record<string, unknown>
  await recordCallback(container, {
    kind: kind === "refund" ? "refund" : "send_request",
    route: kind === "refund" ? REFUND_CALLBACK_ROUTE : SEND_REQUEST_CALLBACK_ROUTE,
    outcome: answer.outcome,
    answerStatus: answer.status,
    answer: answerText(answer.body),
    coingateOrderId: answer.coingateOrderId ?? (kind === "refund" ? (posted.order_id as string | number | undefined) : null),
    coingateRef: posted.id as string | number | undefined,
    providerId: answer.providerId,
    body,
    secrets: [token],
    receivedAt,
  })
}
