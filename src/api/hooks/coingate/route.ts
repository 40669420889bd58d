import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { parseCallbackBody } from "../../../coingate/callback-body"
import { applyCoinGateOrder } from "../../../payments/apply-coingate-order"
import { coingateGateway } from "../../../gateway/index"
import { findCallbackTarget } from "../../../payments/sync-session"

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
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const parsed = parseCallbackBody(req.body)
  if (!parsed.ok) {
    res.status(400).json({ message: `Not a CoinGate order callback: ${parsed.reason}` })
    return
  }
  const { sessionId, coingateOrderId } = parsed.value
  try {
    const target = await findCallbackTarget(req.scope, parsed.value)
    if (!target) {
      logger.info(`CoinGate callback for order ${coingateOrderId} ignored: no CoinGate payment session ${sessionId}.`)
      res.status(200).json({ ok: true, ignored: "unknown session" })
      return
    }
    const verified = await coingateGateway(req.scope, target.providerId).verifyCallback(req.body)
    if (!verified.ok) {
      if (verified.transient) {
        logger.warn(`CoinGate callback for order ${coingateOrderId} not verified yet (${verified.reason}); asking CoinGate to retry.`)
        res.status(503).json({ message: "CoinGate could not be reached to verify the callback; retry later." })
        return
      }
      logger.warn(`CoinGate callback for order ${coingateOrderId} ignored: ${verified.reason}.`)
      res.status(200).json({ ok: true, ignored: "not verified" })
      return
    }
    const outcome = await applyCoinGateOrder(req.scope, {
      sessionId,
      order: verified.order,
      providerId: target.providerId,
      source: "callback",
    })
    if (!outcome.done) {
      res.status(503).json({ message: "The payment could not be fully applied yet; retry later." })
      return
    }
    res.status(200).json({ ok: true, status: outcome.coingateStatus })
  } catch (e: any) {
    logger.error(`CoinGate callback for order ${coingateOrderId} failed: ${e?.message ?? e}`)
    res.status(503).json({ message: "The callback could not be processed now; retry later." })
  }
}
