import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { coingateGateway, isCoinGateProviderId } from "../../../../../gateway/index"

/**
 * `POST /admin/coingate/settings/test-connection` with `{ provider_id }`: calls CoinGate's
 * `GET /v2/auth/test` with that provider's token. Answers 200 with
 * `{ provider_id, ok, sandbox, api_origin, error? }` whether or not CoinGate accepted it.
 */
export async function POST(req: AuthenticatedMedusaRequest<{ provider_id?: unknown }>, res: MedusaResponse) {
  const providerId = (req.body as { provider_id?: unknown } | undefined)?.provider_id
  if (typeof providerId !== "string" || !providerId) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "provider_id is required, e.g. { \"provider_id\": \"pp_coingate_coingate\" }.")
  }
  if (!isCoinGateProviderId(providerId)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${providerId} is not a CoinGate provider (ids start with pp_coingate_).`)
  }
  let provider: ReturnType<typeof coingateGateway>
  try {
    provider = coingateGateway(req.scope, providerId)
  } catch {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No CoinGate payment provider is registered as ${providerId}.`)
  }
  const started = Date.now()
  const result = await provider.testConnection()
  res.json({
    provider_id: providerId,
    ok: result.ok,
    sandbox: result.sandbox,
    api_origin: result.apiOrigin,
    duration_ms: Date.now() - started,
    ...(result.error ? { error: result.error } : {}),
    tested_at: new Date().toISOString(),
  })
}
