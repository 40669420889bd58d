import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listCallbacks } from "../../../../callback-log/list"
import { CallbackLogQuery, parseCallbackLogQuery } from "../../../../callback-log/query"

/**
 * `GET /admin/coingate/callbacks`: the callback log (docs/admin.md), newest first. Filters
 * `coingate_order_id`, `outcome` (comma list), `kind`, `received_from`, `received_to`, `limit` (1..100,
 * default 20), `offset`; anything else is a 400 (`callbackLogQuerySchema` in src/api/middlewares.ts).
 * Answers `{ callbacks, count, limit, offset }`.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const validated = (req as any).validatedQuery as CallbackLogQuery | undefined
  const query = validated?.limit ? validated : parseCallbackLogQuery((req.query ?? {}) as Record<string, unknown>)
  res.json(await listCallbacks(req.scope, query))
}
