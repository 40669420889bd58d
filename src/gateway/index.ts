import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { CoinGateGateway } from "./coingate-gateway"

export { CALLBACK_PATH, CoinGateGateway } from "./coingate-gateway"
export type { ConnectionTest, VerifiedCallback } from "./coingate-gateway"

/** Medusa ids of CoinGate providers start with this (`pp_{identifier}_{id}`), whatever `id` the store chose. */
export const PROVIDER_ID_PREFIX = "pp_coingate_"

export function isCoinGateProviderId(providerId: unknown): providerId is string {
  return typeof providerId === "string" && providerId.startsWith(PROVIDER_ID_PREFIX)
}

/** `coingate_x` (as in Medusa's webhook URL) or `pp_coingate_x` -> `pp_coingate_x`. */
export function normalizeProviderId(provider: string): string {
  return provider.startsWith("pp_") ? provider : `pp_${provider}`
}

/**
 * The CoinGate gateway of the provider registered under `providerId`: its client and callback
 * key for that configuration, so the plugin's routes, subscriber, job and workflows read
 * CoinGate through it rather than configuring a second client. This is the only code that
 * reaches the provider instance.
 *
 * The payment module has no public way to call a provider's own methods (reading an
 * order, verifying a callback); provider instances live in the module's own container,
 * which Medusa's module services keep as `__container__`.
 */
export function coingateGateway(container: MedusaContainer, providerId: string): CoinGateGateway {
  const paymentModule = container.resolve(Modules.PAYMENT) as unknown as { __container__?: Record<string, unknown> }
  let provider: unknown
  try {
    provider = paymentModule.__container__?.[providerId]
  } catch {
    provider = undefined
  }
  const identifier = (provider as { constructor?: { identifier?: string } } | undefined)?.constructor?.identifier
  const gateway = (provider as { gateway?: CoinGateGateway } | undefined)?.gateway
  if (!gateway || identifier !== "coingate") {
    throw new Error(`No CoinGate payment provider is registered as ${providerId}`)
  }
  return gateway
}
