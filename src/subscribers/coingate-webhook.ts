import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { Logger, MedusaContainer, ProviderWebhookPayload } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentWebhookEvents } from "@medusajs/framework/utils"
import { parseCallbackBody } from "../coingate/callback-body"
import { applyCoinGateOrder } from "../workflows/run-apply"
import { findCallbackTarget } from "../sources/sync-session"
import { CallbackOutcome, recordCallback } from "../callback-log/record"
import { CoinGateGateway, coingateGateway, isCoinGateProviderId, normalizeProviderId } from "../gateway/index"

/** What Medusa's `/hooks/payment/:provider` route answered: always 200 "OK", before any processing. */
const MEDUSA_ANSWER = "OK (Medusa's route answers before processing)"

/**
 * For CoinGate callbacks that reach Medusa's own `/hooks/payment/coingate_<id>` route
 * (a store that points CoinGate there). Medusa's subscriber only acts on `captured`;
 * this one verifies the callback the same way the plugin's route does and applies the
 * whole state (order placed on `confirming`, session canceled on `expired`, ...).
 * Both running for a `paid` callback is harmless: applying a state twice changes nothing.
 * This is also where such a callback is written to the callback log (once: Medusa's own
 * subscriber, which calls the provider's getWebhookActionAndData, writes nothing).
 */
export default async function coingateWebhookHandler({ event, container }: SubscriberArgs<ProviderWebhookPayload>) {
  const providerId = normalizeProviderId(event.data.provider ?? "")
  if (!isCoinGateProviderId(providerId)) return
  const receivedAt = new Date()
  const body = event.data.payload?.data
  const { outcome, gateway } = await handle(container, providerId, body)
  const posted = (body && typeof body === "object" ? body : {}) as Record<string, unknown>
  await recordCallback(container, {
    kind: "order",
    // The provider's id in the path only when it is a configured provider: anyone can post to any name.
    route: gateway ? `/hooks/payment/${providerId.slice("pp_".length)}` : "/hooks/payment/:provider",
    outcome,
    answerStatus: 200,
    answer: MEDUSA_ANSWER,
    coingateOrderId: posted.id as string | number | undefined,
    paymentSessionId: typeof posted.order_id === "string" ? posted.order_id : null,
    providerId: gateway ? providerId : null,
    body,
    secrets: [typeof posted.token === "string" ? posted.token : null],
    receivedAt,
  })
}

async function handle(container: MedusaContainer, providerId: string, body: unknown): Promise<{ outcome: CallbackOutcome; gateway?: CoinGateGateway }> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  let gateway: CoinGateGateway | undefined
  try {
    gateway = coingateGateway(container, providerId)
  } catch {
    logger.warn(`CoinGate callback through /hooks/payment ignored: no CoinGate provider ${providerId}.`)
    return { outcome: "unknown" }
  }
  const parsed = parseCallbackBody(body)
  if (!parsed.ok) {
    logger.warn(`CoinGate callback through /hooks/payment ignored: ${parsed.reason}.`)
    return { outcome: "malformed", gateway }
  }
  try {
    if (!(await findCallbackTarget(container, parsed.value))) {
      logger.info(`CoinGate callback through /hooks/payment ignored: no CoinGate payment session ${parsed.value.sessionId}.`)
      return { outcome: "unknown", gateway }
    }
    const verified = await gateway.verifyCallback(body)
    if (!verified.ok) {
      logger.warn(`CoinGate callback through /hooks/payment ignored: ${verified.reason}.`)
      return { outcome: verified.transient ? "transient" : "forged", gateway }
    }
    const applied = await applyCoinGateOrder(container, { sessionId: verified.sessionId, order: verified.order, read: verified.read, providerId, source: "medusa_webhook" })
    if (!applied.done) return { outcome: "transient", gateway }
    const posted = (body as Record<string, unknown>).status
    return { outcome: typeof posted === "string" && posted !== verified.order.status ? "stale" : "accepted", gateway }
  } catch (e: any) {
    logger.error(`CoinGate callback through /hooks/payment failed: ${e?.message ?? e}`)
    return { outcome: "transient", gateway }
  }
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.WebhookReceived,
  context: { subscriberId: "coingate-webhook-handler" },
}
