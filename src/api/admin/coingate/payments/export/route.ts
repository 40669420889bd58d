import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { writeConsoleCsv } from "../../../../../console/export"
import { consoleQueryOf } from "../validators"

export { EXPORT_PAGE_SIZE } from "../../../../../console/export"

/**
 * `GET /admin/coingate/payments/export`: the list's filters, every matching record, as CSV, streamed
 * (src/console/export.ts), waiting when the client reads slower; stops when the client goes away.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { filters } = consoleQueryOf(req, "export")
  res.status(200)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="coingate-payments-${new Date().toISOString().slice(0, 10)}.csv"`)
  res.setHeader("Cache-Control", "no-store")
  let closed = false
  res.on("close", () => (closed = true))
  const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve)))
  try {
    await writeConsoleCsv(req.scope, filters, write, () => closed)
  } catch (e: any) {
    // The headers are gone: all that can be done is to cut the file short, so it cannot pass for complete.
    req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER).error(`CoinGate: the payments export failed: ${e?.message ?? e}`)
    return res.destroy(e)
  }
  res.end()
}
