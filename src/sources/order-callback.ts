import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { parseCallbackBody } from "../coingate/callback-body"
import type { CallbackOutcome } from "../shared/callback-outcome"
import { answerText, recordCallback } from "../callback-log/record"
import { CALLBACK_PATH, CoinGateGateway, coingateGateway } from "../gateway/index"
import type { TruthSource } from "../payments/records"
import { applyCoinGateOrder } from "../workflows/run-apply"
import { findCallbackTarget } from "./sync-session"

/**
 * How an order callback arrived: at the plugin's `POST /hooks/coingate` (CoinGate's `callback_url`; the
 * provider is found from the session or the posted token), or through Medusa's own
 * `/hooks/payment/coingate_<id>` (the provider is in the path; Medusa answered 200 before processing).
 */
export type CallbackArrival = { via: "plugin_route" } | { via: "medusa_route"; providerId: string }

/** What the store answers (the plugin's route sends it; Medusa's route already answered) and what the log keeps. */
export type OrderCallbackResult = {
  status: 200 | 400 | 503
  body: Record<string, unknown>
  outcome: CallbackOutcome
  /** The callback log's columns for this arrival. */
  log: { route: string; answerStatus: number; answer: string; providerId: string | null | undefined }
}

/** What Medusa's `/hooks/payment/:provider` route answered: always 200 "OK", before any processing. */
const MEDUSA_ANSWER = "OK (Medusa's route answers before processing)"

type Handled = { status: 200 | 400 | 503; body: Record<string, unknown>; outcome: CallbackOutcome; providerId?: string }

const ignored = (outcome: CallbackOutcome, why: string, providerId?: string): Handled => ({ status: 200, body: { ok: true, ignored: why }, outcome, providerId })
const retry = (message: string, providerId?: string): Handled => ({ status: 503, body: { message }, outcome: "transient", providerId })

/**
 * THE order-callback intake: parse, find the session, verify with CoinGate (the token, then the order read
 * back by its id), apply the order read (`applyCoinGateOrder`), decide the answer and the log's outcome.
 * Both callback paths come here; the posted status and amounts are never acted on.
 *
 * Answers (the plugin's route; see its doc): 200 when processed or deliberately ignored (forged, unknown,
 * foreign), 400 for a body that is not a CoinGate callback, 503 when it may pass (CoinGate unreachable, the
 * state not fully applied, the database busy) so that CoinGate retries. Through Medusa's route the answer was
 * Medusa's 200; only the outcome counts. Stale: authentic, but CoinGate's order has moved on from the posted
 * status (applied as read).
 */
export async function takeOrderCallback(container: MedusaContainer, body: unknown, arrival: CallbackArrival): Promise<OrderCallbackResult> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  if (arrival.via === "medusa_route") {
    let gateway: CoinGateGateway | undefined
    try {
      gateway = coingateGateway(container, arrival.providerId)
    } catch {
      logger.warn(`CoinGate callback through /hooks/payment ignored: no CoinGate provider ${arrival.providerId}.`)
    }
    const handled = gateway ? await handle(container, logger, body, arrival, gateway) : ignored("unknown", "unknown provider")
    return {
      ...handled,
      // The provider's id in the path only when it is a configured provider: anyone can post to any name.
      log: {
        route: gateway ? `/hooks/payment/${arrival.providerId.slice("pp_".length)}` : "/hooks/payment/:provider",
        answerStatus: 200,
        answer: MEDUSA_ANSWER,
        providerId: gateway ? arrival.providerId : null,
      },
    }
  }
  const handled = await handle(container, logger, body, arrival)
  return { ...handled, log: { route: CALLBACK_PATH, answerStatus: handled.status, answer: answerText(handled.body), providerId: handled.providerId } }
}

/** Writes the callback to the callback log (src/callback-log/record.ts): after the answer was sent, never throws. */
export async function logOrderCallback(container: MedusaContainer, body: unknown, result: OrderCallbackResult, receivedAt: Date): Promise<void> {
  const posted = (body && typeof body === "object" ? body : {}) as Record<string, unknown>
  await recordCallback(container, {
    kind: "order",
    route: result.log.route,
    outcome: result.outcome,
    answerStatus: result.log.answerStatus,
    answer: result.log.answer,
    coingateOrderId: posted.id as string | number | undefined,
    paymentSessionId: typeof posted.order_id === "string" ? posted.order_id : null,
    providerId: result.log.providerId,
    body,
    secrets: [typeof posted.token === "string" ? posted.token : null],
    receivedAt,
  })
}

async function handle(container: MedusaContainer, logger: Logger, body: unknown, arrival: CallbackArrival, medusaGateway?: CoinGateGateway): Promise<Handled> {
  const viaMedusa = arrival.via === "medusa_route"
  const parsed = parseCallbackBody(body)
  if (!parsed.ok) {
    if (viaMedusa) logger.warn(`CoinGate callback through /hooks/payment ignored: ${parsed.reason}.`)
    return { status: 400, body: { message: `Not a CoinGate order callback: ${parsed.reason}` }, outcome: "malformed" }
  }
  const { sessionId, coingateOrderId } = parsed.value
  const about = viaMedusa ? "CoinGate callback through /hooks/payment" : `CoinGate callback for order ${coingateOrderId}`
  let providerId: string | undefined
  try {
    const target = await findCallbackTarget(container, parsed.value)
    if (!target) {
      logger.info(`${about} ignored: no CoinGate payment session ${sessionId}.`)
      return ignored("unknown", "unknown session")
    }
    providerId = viaMedusa ? arrival.providerId : target.providerId
    // Through Medusa's route the provider's own verification (Medusa's subscriber) and this one share one read.
    const verified = medusaGateway ? await medusaGateway.verifyWebhookCallback(body, "plugin") : await coingateGateway(container, providerId).verifyCallback(body)
    if (!verified.ok) {
      if (verified.transient) {
        logger.warn(viaMedusa ? `${about} ignored: ${verified.reason}.` : `${about} not verified yet (${verified.reason}); asking CoinGate to retry.`)
        return retry("CoinGate could not be reached to verify the callback; retry later.", providerId)
      }
      logger.warn(`${about} ignored: ${verified.reason}.`)
      return ignored("forged", "not verified", providerId)
    }
    const source: TruthSource = viaMedusa ? "medusa_webhook" : "callback"
    const applied = await applyCoinGateOrder(container, { sessionId, order: verified.order, read: verified.read, providerId, source })
    if (!applied.done) return retry("The payment could not be fully applied yet; retry later.", providerId)
    const posted = (body as Record<string, unknown>).status
    const stale = typeof posted === "string" && posted !== verified.order.status
    return { status: 200, body: { ok: true, status: applied.coingateStatus }, outcome: stale ? "stale" : "accepted", providerId }
  } catch (e: any) {
    logger.error(`${about} failed: ${e?.message ?? e}`)
    return retry("The callback could not be processed now; retry later.", providerId)
  }
}
