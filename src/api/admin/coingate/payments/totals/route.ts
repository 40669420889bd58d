import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { consoleTotals } from "../../../../../console/query"
import { totalsView } from "../../../../../console/views"
import { consoleQueryOf } from "../validators"

/**
 * `GET /admin/coingate/payments/totals`: count and exact sum of price amounts per status and per price
 * currency for a period (default: the last 30 days), with the list's filters. One SQL GROUP BY.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { filters } = consoleQueryOf(req, "totals")
  const groups = await consoleTotals(req.scope, filters)
  res.json(totalsView({ from: filters.created_from!, to: filters.created_to! }, groups))
}
