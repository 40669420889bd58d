import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { CoinGateGateway, coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { iso, str } from "./admin-views"
import { CoinGatePaymentRecord, recordsService } from "../payments/records"

/** What the admin's settings page shows of each CoinGate provider: no token, no key. */
export type AdminCoinGateProviderSettings = {
  id: string
  is_enabled: boolean
  mode: "live" | "sandbox"
  sandbox: boolean
  api_origin: string
  callback_url: string
  last_callback_at: string | null
  last_callback_order_id: string | null
}

/** The CoinGate providers registered in the payment module (ids starting `pp_coingate_`). */
export async function coingateProviders(container: MedusaContainer): Promise<{ id: string; is_enabled: boolean }[]> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const providers = await paymentModule.listPaymentProviders({}, { take: null as any })
  return providers
    .filter((p) => isCoinGateProviderId(p.id))
    .map((p) => ({ id: p.id, is_enabled: (p as any).is_enabled !== false }))
    .sort((a, b) => a.id.localeCompare(b.id))
}

export async function providerSettings(container: MedusaContainer, entry: { id: string; is_enabled: boolean }): Promise<AdminCoinGateProviderSettings | null> {
  let gateway: ReturnType<typeof coingateGateway>
  try {
    gateway = coingateGateway(container, entry.id)
  } catch {
    // Listed in the database from an earlier configuration, not loaded now.
    return null
  }
  const [latest] = (await recordsService(container).listCoinGatePayments(
    { provider_id: entry.id, last_callback_at: { $ne: null } } as any,
    { order: { last_callback_at: "DESC" }, take: 1 }
  )) as unknown as CoinGatePaymentRecord[]
  return {
    id: entry.id,
    is_enabled: entry.is_enabled,
    mode: gateway.isSandbox ? "sandbox" : "live",
    sandbox: gateway.isSandbox,
    api_origin: gateway.apiOrigin,
    callback_url: gateway.callbackUrl,
    last_callback_at: iso(latest?.last_callback_at),
    last_callback_order_id: latest ? str(latest.coingate_order_id) : null,
  }
}

/**
 * `POST /admin/coingate/settings/test-connection`: calls CoinGate's `GET /v2/auth/test` with the provider's
 * token. The answer, whether or not CoinGate accepted it: `{ provider_id, ok, sandbox, api_origin, duration_ms,
 * error?, tested_at }`. A missing or non-CoinGate id is a 400, an unregistered one a 404.
 */
export async function testProviderConnection(container: MedusaContainer, providerId: unknown) {
  if (typeof providerId !== "string" || !providerId) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "provider_id is required, e.g. { \"provider_id\": \"pp_coingate_coingate\" }.")
  }
  if (!isCoinGateProviderId(providerId)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${providerId} is not a CoinGate provider (ids start with pp_coingate_).`)
  }
  let gateway: CoinGateGateway
  try {
    gateway = coingateGateway(container, providerId)
  } catch {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No CoinGate payment provider is registered as ${providerId}.`)
  }
  const started = Date.now()
  const result = await gateway.testConnection()
  return {
    provider_id: providerId,
    ok: result.ok,
    sandbox: result.sandbox,
    api_origin: result.apiOrigin,
    duration_ms: Date.now() - started,
    ...(result.error ? { error: result.error } : {}),
    tested_at: new Date().toISOString(),
  }
}
