/**
 * The data of a clicked DataTable row. `onRowClick` is typed as receiving the row's data,
 * but @medusajs/ui 4.2 passes TanStack's row object (the data is its `original`); this
 * accepts either, so a later fix of the library does not break the drawers.
 */
export function clickedRow<T>(row: T): T {
  const wrapped = row as unknown as { original?: T }
  return wrapped && typeof wrapped === "object" && wrapped.original !== undefined ? wrapped.original : row
}
