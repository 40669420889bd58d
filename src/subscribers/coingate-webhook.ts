import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { ProviderWebhookPayload } from "@medusajs/framework/types"
import { PaymentWebhookEvents } from "@medusajs/framework/utils"
import { isCoinGateProviderId, normalizeProviderId } from "../gateway/index"
import { logOrderCallback, takeOrderCallback } from "../sources/order-callback"

/**
 * For CoinGate callbacks that reach Medusa's own `/hooks/payment/coingate_<id>` route (a store that
 * points CoinGate there). Medusa's subscriber only acts on `captured`; this one takes the callback through
 * the same intake as the plugin's route (src/sources/order-callback.ts) and applies the whole state (order
 * placed on `confirming`, session canceled on `expired`, ...), with one CoinGate read shared with Medusa's
 * subscriber. Both running for a `paid` callback is harmless: applying a state twice changes nothing. This
 * is also where such a callback is written to the callback log (once: Medusa's own subscriber writes nothing).
 */
export default async function coingateWebhookHandler({ event, container }: SubscriberArgs<ProviderWebhookPayload>) {
  const providerId = normalizeProviderId(event.data.provider ?? "")
  if (!isCoinGateProviderId(providerId)) return
  const receivedAt = new Date()
  const body = event.data.payload?.data
  const result = await takeOrderCallback(container, body, { via: "medusa_route", providerId })
  await logOrderCallback(container, body, result, receivedAt)
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.WebhookReceived,
  context: { subscriberId: "coingate-webhook-handler" },
}
