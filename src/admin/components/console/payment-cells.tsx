import { ArrowUpRightOnBox } from "@medusajs/icons"
import { Badge, StatusBadge, Text } from "@medusajs/ui"
import type { MouseEvent } from "react"
import { Link } from "react-router-dom"
import { attentionLabel, formatAmount, formatDateTime, formatRelative, statusLabel } from "../../lib/coingate-api"
import type { ConsoleRow } from "../../lib/console-api"

/** The cells of a list row. Links stop the click so that following one does not also open the drawer. */

const stop = (e: MouseEvent) => e.stopPropagation()

export const CoinGateIdCell = ({ row }: { row: ConsoleRow }) =>
  row.dashboard_url ? (
    <a
      href={row.dashboard_url}
      target="_blank"
      rel="noreferrer"
      onClick={stop}
      className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small-plus inline-flex items-center gap-x-1"
      data-testid="console-dashboard-link"
    >
      #{row.coingate_order_id}
      <ArrowUpRightOnBox />
    </a>
  ) : (
    <Text size="small">#{row.coingate_order_id ?? "-"}</Text>
  )

export const OrderCell = ({ row }: { row: ConsoleRow }) =>
  row.order_id ? (
    <Link
      to={`/orders/${row.order_id}`}
      onClick={stop}
      className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small-plus"
      data-testid="console-order-link"
    >
      {row.order_display_id ? `#${row.order_display_id}` : row.order_id}
    </Link>
  ) : (
    <Text size="small" className="text-ui-fg-muted" data-testid="console-no-order">
      no order
    </Text>
  )

export const StatusCell = ({ row }: { row: ConsoleRow }) => {
  const s = statusLabel(row.status)
  return <StatusBadge color={s.color}>{s.label}</StatusBadge>
}

export const PaidCell = ({ row }: { row: ConsoleRow }) => (
  <Text size="small" className={row.pay_amount ? undefined : "text-ui-fg-muted"}>
    {row.pay_amount || row.pay_currency ? formatAmount(row.pay_amount ?? "-", row.pay_currency) : "-"}
  </Text>
)

/** Under- or overpaid, in the coin paid ("-" when CoinGate reports neither). */
export const BalanceCell = ({ row }: { row: ConsoleRow }) => {
  if (row.underpaid_amount) {
    return (
      <Text size="small" className="text-ui-fg-error" data-testid="console-underpaid">
        {formatAmount(row.underpaid_amount, row.pay_currency)} missing
      </Text>
    )
  }
  if (row.overpaid_amount) {
    return (
      <Text size="small" className="text-ui-tag-orange-text" data-testid="console-overpaid">
        {formatAmount(row.overpaid_amount, row.pay_currency)} extra
      </Text>
    )
  }
  return (
    <Text size="small" className="text-ui-fg-muted">
      -
    </Text>
  )
}

export const FlagCell = ({ row }: { row: ConsoleRow }) =>
  row.attention ? (
    <Badge size="2xsmall" color="orange" title={row.attention.note ?? undefined} data-testid="console-flag">
      {attentionLabel(row.attention.reason)}
    </Badge>
  ) : null

export const WhenCell = ({ value }: { value: string | null }) => (
  <Text size="small" className={value ? undefined : "text-ui-fg-muted"} title={value ? formatDateTime(value) : undefined}>
    {formatRelative(value)}
  </Text>
)
