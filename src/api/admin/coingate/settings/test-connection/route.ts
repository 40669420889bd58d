import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { testProviderConnection } from "../../../../../console/admin-settings"

/**
 * `POST /admin/coingate/settings/test-connection` with `{ provider_id }`: calls CoinGate's
 * `GET /v2/auth/test` with that provider's token. Answers 200 with
 * `{ provider_id, ok, sandbox, api_origin, error? }` whether or not CoinGate accepted it
 * (src/console/admin-settings.ts).
 */
export async function POST(req: AuthenticatedMedusaRequest<{ provider_id?: unknown }>, res: MedusaResponse) {
  res.json(await testProviderConnection(req.scope, (req.body as { provider_id?: unknown } | undefined)?.provider_id))
}
