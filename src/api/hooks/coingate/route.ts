import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { parseCallbackBody } from "../../../coingate/callback-body"
import { applyCoinGateOrder } from "../../../workflows/run-apply"
import { CALLBACK_PATH, coingateGateway } from "../../../gateway/index"
import { findCallbackTarget } from "../../../sources/sync-session"
import { answerText, CallbackOutcome, recordCallback } from "../../../callback-log/record"

/**
 * CoinGate's order callbacks (`callback_url`), form-encoded or JSON.
 *
 * Unlike Medusa's `/hooks/payment/...` route, which answers 200 before processing, this
 * route applies the callback before answering, so CoinGate's week of retries is there
 * when something fails:
 * - 200 when processed, and when deliberately ignored (forged, unknown, foreign): a
 *   retry would not change the answer;
 * - 400 for a body that is not a CoinGate callback at all;
 * - 503 when it could not finish for a reason that may pass (CoinGate unreachable, the
 *   database busy), so that CoinGate tries again.
 * Never 301/302/401/403: those stop CoinGate's retries for good.
 *
 * Each callback is then written to the callback log (src/callback-log/record.ts), after the answer is sent.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const receivedAt = new Date()
  const { status, body, outcome, providerId } = await handle(req)
  res.status(status).json(body)
  const posted = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>
  await recordCallback(req.scope, {
    kind: "order",
    route: CALLBACK_PATH,
    outcome,
    answerStatus: status,
    answer: answerText(body),
    coingateOrderId: posted.id as string | number | undefined,
    paymentSessionId: typeof posted.order_id === "string" ? posted.order_id : null,
    providerId,
    body: req.body,
    secrets: [typeof posted.token === "string" ? posted.token : null],
    receivedAt,
  })
}

type Handled = { status: 200 | 400 | 503; body: Record<string, unknown>; outcome: CallbackOutcome; providerId?: string }

async function handle(req: MedusaRequest): Promise<Handled> {
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const parsed = parseCallbackBody(req.body)
  if (!parsed.ok) {
    return { status: 400, body: { message: `Not a CoinGate order callback: ${parsed.reason}` }, outcome: "malformed" }
  }
  const { sessionId, coingateOrderId } = parsed.value
  let providerId: string | undefined
  try {
    const target = await findCallbackTarget(req.scope, parsed.value)
    if (!target) {
      logger.info(`CoinGate callback for order ${coingateOrderId} ignored: no CoinGate payment session ${sessionId}.`)
      return { status: 200, body: { ok: true, ignored: "unknown session" }, outcome: "unknown" }
    }
    providerId = target.providerId
    const verified = await coingateGateway(req.scope, target.providerId).verifyCallback(req.body)
    if (!verified.ok) {
      if (verified.transient) {
        logger.warn(`CoinGate callback for order ${coingateOrderId} not verified yet (${verified.reason}); asking CoinGate to retry.`)
        return { status: 503, body: { message: "CoinGate could not be reached to verify the callback; retry later." }, outcome: "transient", providerId }
      }
      logger.warn(`CoinGate callback for order ${coingateOrderId} ignored: ${verified.reason}.`)
      return { status: 200, body: { ok: true, ignored: "not verified" }, outcome: "forged", providerId }
    }
    const outcome = await applyCoinGateOrder(req.scope, {
      sessionId,
      order: verified.order,
      read: verified.read,
      providerId: target.providerId,
      source: "callback",
    })
    if (!outcome.done) {
      return { status: 503, body: { message: "The payment could not be fully applied yet; retry later." }, outcome: "transient", providerId }
    }
    // Stale: authentic, but CoinGate's order has moved on from the status this callback posted (applied as read).
    const posted = (req.body as Record<string, unknown>).status
    const stale = typeof posted === "string" && posted !== verified.order.status
    return { status: 200, body: { ok: true, status: outcome.coingateStatus }, outcome: stale ? "stale" : "accepted", providerId }
  } catch (e: any) {
    logger.error(`CoinGate callback for order ${coingateOrderId} failed: ${e?.message ?? e}`)
    return { status: 503, body: { message: "The callback could not be processed now; retry later." }, outcome: "transient", providerId }
  }
}
