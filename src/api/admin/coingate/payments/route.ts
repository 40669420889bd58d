import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listConsolePage } from "../../../../console/query"
import { consoleRow } from "../../../../console/views"
import { consoleQueryOf } from "./validators"

/**
 * `GET /admin/coingate/payments`: every CoinGate invoice the store issued, newest first, one page of it
 * (docs/admin.md, "Operations console API"). `attention_count` counts all flagged records, whatever the filters.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { filters, limit, offset } = consoleQueryOf(req, "list")
  const { records, count, attentionCount } = await listConsolePage(req.scope, filters, { limit, offset })
  const cache = new Map()
  res.json({ payments: records.map((r) => consoleRow(req.scope, r, cache)), count, limit, offset, attention_count: attentionCount })
}
