import type { MedusaContainer } from "@medusajs/framework/types"
import type { ConsoleFilters } from "./filters"
import { ConsoleCursor, consolePageAfter } from "./query"
import { consoleRow, CSV_COLUMNS, csvLine, csvRow } from "./views"

/** Rows per query: one page in memory at a time, whatever the export's size. */
export const EXPORT_PAGE_SIZE = 500

/**
 * The console's CSV of every record matching `filters`: the header, then pages of EXPORT_PAGE_SIZE read by
 * keyset (created_at, id), each written as it comes. `write` resolves when the client can take more (so a
 * slow reader is waited for); stops early when `closed()` (the client went away). Throws a read's error.
 */
export async function writeConsoleCsv(container: MedusaContainer, filters: ConsoleFilters, write: (chunk: string) => Promise<void>, closed: () => boolean) {
  const cache = new Map()
  await write(csvLine(CSV_COLUMNS))
  let after: ConsoleCursor | null = null
  do {
    const page = await consolePageAfter(container, filters, after, EXPORT_PAGE_SIZE)
    if (page.records.length) await write(page.records.map((r) => csvRow(consoleRow(container, r, cache))).join(""))
    after = page.next
  } while (after && !closed())
}
