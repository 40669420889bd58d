import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AdminCoinGateProviderSettings, coingateProviders, providerSettings } from "../../../../console/admin-settings"

/**
 * `GET /admin/coingate/settings`: for each CoinGate provider registered in the payment
 * module, live or sandbox, the API origin, the callback URL CoinGate is given and the
 * last callback received. Never the API token.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const providers: AdminCoinGateProviderSettings[] = []
  for (const entry of await coingateProviders(req.scope)) {
    const settings = await providerSettings(req.scope, entry)
    if (settings) providers.push(settings)
  }
  res.json({ providers })
}
