import {
  CodeBlock,
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  DataTable,
  DataTableFilteringState,
  DataTablePaginationState,
  Drawer,
  Heading,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { useMemo, useState } from "react"
import { formatDateTime } from "../../lib/coingate-api"
import { CallbackEntry, CallbackFilters, consoleApi } from "../../lib/console-api"
import { BodyPreview, bodyText, KIND_LABELS, OUTCOME_VALUES, OutcomeBadge, outcomeLabel } from "./callback-parts"
import { clickedRow } from "./clicked-row"
import { WhenCell } from "./payment-cells"

const PAGE_SIZE = 20
const column = createDataTableColumnHelper<CallbackEntry>()
const filter = createDataTableFilterHelper<CallbackEntry>()

const columns = [
  column.accessor("received_at", { header: "When", cell: ({ getValue }) => <WhenCell value={getValue()} /> }),
  column.accessor("kind", { header: "Kind", cell: ({ getValue }) => KIND_LABELS[getValue()] ?? getValue() }),
  column.accessor("route", {
    header: "Route",
    cell: ({ getValue }) => (
      <Text size="xsmall" className="font-mono">
        {getValue()}
      </Text>
    ),
  }),
  column.accessor("coingate_order_id", { header: "CoinGate order", cell: ({ getValue }) => (getValue() ? `#${getValue()}` : "-") }),
  column.accessor("outcome", {
    header: "Outcome",
    cell: ({ row }) => <OutcomeBadge outcome={row.original.outcome} count={row.original.aggregate ? row.original.count : undefined} />,
  }),
  column.accessor("answer", {
    header: "Answer",
    cell: ({ row }) => (
      <Text size="small" className="max-w-[200px] truncate" title={row.original.answer ?? undefined}>
        {row.original.answer_status} {row.original.answer}
      </Text>
    ),
  }),
  column.accessor("body", { header: "Body", cell: ({ getValue }) => <BodyPreview body={getValue()} /> }),
]

const filters = [
  filter.accessor("outcome", { type: "multiselect", label: "Outcome", options: OUTCOME_VALUES.map((o) => ({ label: outcomeLabel(o), value: o })) }),
  filter.accessor("kind", { type: "radio", label: "Kind", options: Object.entries(KIND_LABELS).map(([value, label]) => ({ label, value })) }),
]

function toCallbackFilters(filtering: DataTableFilteringState, search: string): CallbackFilters {
  const outcome = Array.isArray(filtering.outcome) && filtering.outcome.length ? filtering.outcome.map(String) : undefined
  const kind = typeof filtering.kind === "string" ? filtering.kind : undefined
  // The search box finds one CoinGate order's callbacks (the route matches the id exactly).
  return { outcome, kind, coingate_order_id: search.trim().replace(/^#/, "") || undefined }
}

/** What CoinGate (or anyone) sent to the store's callback routes, and what the store answered. */
export function CallbackLog() {
  const [filtering, setFiltering] = useState<DataTableFilteringState>({})
  const [search, setSearch] = useState("")
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [open, setOpen] = useState<CallbackEntry | null>(null)
  const query = useMemo(() => toCallbackFilters(filtering, search), [filtering, search])
  const page = { limit: pagination.pageSize, offset: pagination.pageIndex * pagination.pageSize }
  const { data, isLoading, error } = useQuery({
    queryKey: ["coingate", "console", "callbacks", query, page],
    queryFn: () => consoleApi.callbacks(query, page),
    placeholderData: keepPreviousData,
  })
  const firstPage = (next: () => void) => {
    setPagination((p) => ({ ...p, pageIndex: 0 }))
    next()
  }
  const table = useDataTable({
    columns,
    data: data?.callbacks ?? [],
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    filters,
    filtering: { state: filtering, onFilteringChange: (s) => firstPage(() => setFiltering(s)) },
    search: { state: search, onSearchChange: (s) => firstPage(() => setSearch(s)) },
    pagination: { state: pagination, onPaginationChange: setPagination },
    onRowClick: (_e, row) => setOpen(clickedRow(row)),
  })

  return (
    <div className="flex flex-col" data-testid="console-callbacks">
      <DataTable instance={table}>
        <DataTable.Toolbar className="flex items-center justify-between gap-2">
          <Heading level="h2">Callback log</Heading>
          <div className="flex items-center gap-2">
            <DataTable.FilterMenu tooltip="Filter" />
            <DataTable.Search placeholder="CoinGate order id" />
          </div>
        </DataTable.Toolbar>
        <DataTable.Table
          emptyState={{
            empty: { heading: "No callbacks logged", description: "Callbacks appear here as CoinGate calls the store." },
            filtered: { heading: "Nothing matches", description: "No callback matches these filters." },
          }}
        />
        <DataTable.Pagination />
      </DataTable>
      {error && (
        <Text size="small" className="text-ui-fg-error px-6 py-4">
          {(error as Error).message}
        </Text>
      )}
      <Drawer open={!!open} onOpenChange={(o) => !o && setOpen(null)}>
        <Drawer.Content data-testid="console-callback-drawer">
          <Drawer.Header>
            <Drawer.Title>
              {open ? `${KIND_LABELS[open.kind] ?? open.kind} callback, ${formatDateTime(open.received_at)}` : "Callback"}
            </Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-3 overflow-y-auto">
            {open && (
              <>
                <Text size="small">
                  {open.route} · <OutcomeBadge outcome={open.outcome} count={open.aggregate ? open.count : undefined} /> · {open.answer_status}{" "}
                  {open.answer}
                </Text>
                <CodeBlock snippets={[{ label: "Body", language: "json", code: bodyText(open.body, true) || "(empty)", hideLineNumbers: true }]}>
                  <CodeBlock.Body />
                </CodeBlock>
              </>
            )}
          </Drawer.Body>
        </Drawer.Content>
      </Drawer>
    </div>
  )
}
