import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ConsoleCursor, consolePageAfter } from "../../../../../console/query"
import { consoleRow, CSV_COLUMNS, csvLine, csvRow } from "../../../../../console/views"
import { consoleQueryOf } from "../validators"

/** Rows per query: one page in memory at a time, whatever the export's size. */
export const EXPORT_PAGE_SIZE = 500

/**
 * `GET /admin/coingate/payments/export`: the list's filters, every matching record, as CSV. Streamed:
 * pages of EXPORT_PAGE_SIZE read by keyset (created_at, id) and written as they come, waiting when the
 * client reads slower; stops when the client goes away.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { filters } = consoleQueryOf(req, "export")
  const date = new Date().toISOString().slice(0, 10)
  res.status(200)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="coingate-payments-${date}.csv"`)
  res.setHeader("Cache-Control", "no-store")
  let closed = false
  res.on("close", () => (closed = true))
  const write = (chunk: string) =>
    res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve))

  const cache = new Map()
  try {
    await write(csvLine(CSV_COLUMNS))
    let after: ConsoleCursor | null = null
    do {
      const page = await consolePageAfter(req.scope, filters, after, EXPORT_PAGE_SIZE)
      if (page.records.length) await write(page.records.map((r) => csvRow(consoleRow(req.scope, r, cache))).join(""))
      after = page.next
    } while (after && !closed)
  } catch (e: any) {
    // The headers are gone: all that can be done is to cut the file short, so it cannot pass for complete.
    req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER).error(`CoinGate: the payments export failed: ${e?.message ?? e}`)
    res.destroy(e)
    return
  }
  res.end()
}
