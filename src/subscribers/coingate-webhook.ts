import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { Logger, ProviderWebhookPayload } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentWebhookEvents } from "@medusajs/framework/utils"
import { applyCoinGateOrder } from "../payments/apply-coingate-order"
import { coingateGateway, isCoinGateProviderId, normalizeProviderId } from "../gateway/index"

/**
 * For CoinGate callbacks that reach Medusa's own `/hooks/payment/coingate_<id>` route
 * (a store that points CoinGate there). Medusa's subscriber only acts on `captured`;
 * this one verifies the callback the same way the plugin's route does and applies the
 * whole state (order placed on `confirming`, session canceled on `expired`, ...).
 * Both running for a `paid` callback is harmless: applying a state twice changes nothing.
 */
export default async function coingateWebhookHandler({ event, container }: SubscriberArgs<ProviderWebhookPayload>) {
  const providerId = normalizeProviderId(event.data.provider ?? "")
  if (!isCoinGateProviderId(providerId)) return
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    const verified = await coingateGateway(container, providerId).verifyCallback(event.data.payload?.data)
    if (!verified.ok) {
      logger.warn(`CoinGate callback through /hooks/payment ignored: ${verified.reason}.`)
      return
    }
    await applyCoinGateOrder(container, { sessionId: verified.sessionId, order: verified.order, providerId, source: "medusa_webhook" })
  } catch (e: any) {
    logger.error(`CoinGate callback through /hooks/payment failed: ${e?.message ?? e}`)
  }
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.WebhookReceived,
  context: { subscriberId: "coingate-webhook-handler" },
}
