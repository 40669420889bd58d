import { ArrowDownTray } from "@medusajs/icons"
import {
  Badge,
  Button,
  createDataTableColumnHelper,
  DataTable,
  DataTableFilteringState,
  DataTablePaginationState,
  Heading,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { useEffect, useMemo, useState } from "react"
import { formatAmount } from "../../lib/coingate-api"
import { consoleApi, ConsoleRow, usesBearerToken } from "../../lib/console-api"
import { clickedRow } from "./clicked-row"
import { BalanceCell, CoinGateIdCell, FlagCell, OrderCell, PaidCell, StatusCell, WhenCell } from "./payment-cells"
import { PaymentDrawer } from "./payment-drawer"
import { toPaymentFilters } from "../../lib/console-query"
import { paymentFilterDefinitions } from "./payment-filters"

const PAGE_SIZE = 20
const column = createDataTableColumnHelper<ConsoleRow>()

const columns = [
  column.accessor("coingate_order_id", { header: "CoinGate order", cell: ({ row }) => <CoinGateIdCell row={row.original} /> }),
  column.accessor("order_id", { header: "Medusa order", cell: ({ row }) => <OrderCell row={row.original} /> }),
  column.accessor("status", { header: "Status", cell: ({ row }) => <StatusCell row={row.original} /> }),
  column.accessor("price_amount", {
    header: "Price",
    cell: ({ row }) => formatAmount(row.original.price_amount, row.original.price_currency),
  }),
  column.accessor("pay_amount", { header: "Paid", cell: ({ row }) => <PaidCell row={row.original} /> }),
  column.display({ id: "balance", header: "Under/overpaid", cell: ({ row }) => <BalanceCell row={row.original} /> }),
  column.display({ id: "flag", header: "Flag", cell: ({ row }) => <FlagCell row={row.original} /> }),
  column.accessor("last_callback_at", { header: "Last callback", cell: ({ getValue }) => <WhenCell value={getValue()} /> }),
  column.accessor("last_synced_at", { header: "Last check", cell: ({ getValue }) => <WhenCell value={getValue()} /> }),
  column.accessor("created_at", { header: "Created", cell: ({ getValue }) => <WhenCell value={getValue()} /> }),
]

/**
 * Every CoinGate invoice the store issued, newest first, filtered and paginated by the
 * server. Opens on the attention queue when anything is flagged (the first answer says how
 * many), on everything otherwise; a row opens its drawer.
 */
export function PaymentsTable() {
  const filters = useMemo(() => paymentFilterDefinitions(), [])
  const [filtering, setFiltering] = useState<DataTableFilteringState>({ attention: "true" })
  // Until the first answer, the queue is only a guess: it is dropped when nothing needs a person.
  const [decided, setDecided] = useState(false)
  const [search, setSearch] = useState("")
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [openId, setOpenId] = useState<string | null>(null)

  const query = toPaymentFilters(filtering, search)
  const page = { limit: pagination.pageSize, offset: pagination.pageIndex * pagination.pageSize }
  const { data, isLoading, isFetching, error } = useQuery({
    queryKey: ["coingate", "console", "payments", query, page],
    queryFn: () => consoleApi.payments(query, page),
    placeholderData: keepPreviousData,
  })

  useEffect(() => {
    if (decided || !data) return
    setDecided(true)
    if (data.attention_count === 0) setFiltering({})
  }, [data, decided])

  const firstPage = (next: () => void) => {
    setPagination((p) => ({ ...p, pageIndex: 0 }))
    next()
  }
  const table = useDataTable({
    columns,
    data: data?.payments ?? [],
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading: isLoading || !decided,
    filters,
    filtering: { state: filtering, onFilteringChange: (s) => firstPage(() => setFiltering(s)) },
    search: { state: search, onSearchChange: (s) => firstPage(() => setSearch(s)) },
    pagination: { state: pagination, onPaginationChange: setPagination },
    onRowClick: (_e, row) => setOpenId(clickedRow(row).id),
  })

  const attentionCount = data?.attention_count ?? 0
  const queue = filtering.attention === "true"
  const showQueue = (on: boolean) =>
    firstPage(() =>
      setFiltering(({ attention: _drop, ...rest }) => (on ? { ...rest, attention: "true" } : rest))
    )
  const bearer = usesBearerToken()

  return (
    <div className="flex flex-col" data-testid="console-payments" data-fetching={String(isFetching)}>
      <DataTable instance={table}>
        <DataTable.Toolbar className="flex flex-col items-start justify-between gap-2 md:flex-row md:items-center">
          <div className="flex items-center gap-x-2">
            <Heading level="h2">Invoices</Heading>
            <Badge size="2xsmall" color={attentionCount ? "orange" : "grey"} data-testid="console-attention-count">
              {attentionCount} need{attentionCount === 1 ? "s" : ""} attention
            </Badge>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Button size="small" variant={queue ? "primary" : "secondary"} onClick={() => showQueue(true)} data-testid="console-view-attention">
              Needs attention ({attentionCount})
            </Button>
            <Button size="small" variant={queue ? "secondary" : "primary"} onClick={() => showQueue(false)} data-testid="console-view-all">
              All invoices
            </Button>
            <div data-testid="console-filter-menu">
              <DataTable.FilterMenu tooltip="Filter" />
            </div>
            <DataTable.Search className="w-[300px]" placeholder="Order id, display id, cart id or email" />
            <Button size="small" variant="secondary" asChild>
              <a
                href={consoleApi.exportUrl(query)}
                data-testid="console-export"
                onClick={(e) => {
                  if (!bearer) return // the session cookie goes with the link
                  e.preventDefault()
                  void consoleApi.downloadExport(query)
                }}
              >
                <ArrowDownTray />
                Export CSV
              </a>
            </Button>
          </div>
        </DataTable.Toolbar>
        <DataTable.Table
          emptyState={{
            empty: { heading: "No CoinGate invoices yet", description: "Invoices appear here once shoppers pay with CoinGate." },
            filtered: { heading: "Nothing matches", description: "No invoice matches these filters." },
          }}
        />
        <DataTable.Pagination />
      </DataTable>
      {error && (
        <Text size="small" className="text-ui-fg-error px-6 py-4" data-testid="console-error">
          {(error as Error).message}
        </Text>
      )}
      <PaymentDrawer paymentId={openId} onClose={() => setOpenId(null)} />
    </div>
  )
}
