import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { CoinGateProviderService } from "../providers/coingate/service"

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
 * The provider instance registered under `providerId`. It holds the CoinGate client and
 * the callback key for that configuration, so the plugin's routes, subscriber and job
 * read CoinGate through it rather than configuring a second client.
 *
 * The payment module has no public way to call a provider's own methods (reading an
 * order, verifying a callback); provider instances live in the module's own container,
 * which Medusa's module services keep as `__container__`.
 */
export function coingateProvider(container: MedusaContainer, providerId: string): CoinGateProviderService {
  const paymentModule = container.resolve(Modules.PAYMENT) as unknown as { __container__?: Record<string, unknown> }
  let provider: unknown
  try {
    provider = paymentModule.__container__?.[providerId]
  } catch {
    provider = undefined
  }
  const identifier = (provider as { constructor?: { identifier?: string } } | undefined)?.constructor?.identifier
  if (!provider || identifier !== "coingate") {
    throw new Error(`No CoinGate payment provider is registered as ${providerId}`)
  }
  return provider as CoinGateProviderService
}
