import { Heading, Input, Label, StatusBadge, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { formatAmount, formatDateTime, statusLabel } from "../../lib/coingate-api"
import { consoleApi } from "../../lib/console-api"

const DAY = 24 * 3600 * 1000
const day = (t: number) => new Date(t).toISOString().slice(0, 10)


/** Count and sums (exact, computed by the server) per CoinGate status and per price currency, for a period. */
export function Totals() {
  const [from, setFrom] = useState(() => day(Date.now() - 30 * DAY))
  const [to, setTo] = useState(() => day(Date.now()))
  // Whole days (UTC): the route reads a date-only created_to as the end of that day.
  const period = { created_from: from || undefined, created_to: to || undefined }
  const { data, error, isLoading } = useQuery({
    queryKey: ["coingate", "console", "totals", period],
    queryFn: () => consoleApi.totals(period),
  })

  return (
    <div className="flex flex-col gap-y-4 px-6 py-4" data-testid="console-totals">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <Heading level="h2">Totals for a period</Heading>
        <div className="flex items-end gap-x-3">
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="totals-from">
              From
            </Label>
            <Input id="totals-from" type="date" size="small" value={from} max={to} onChange={(e) => setFrom(e.target.value)} data-testid="console-totals-from" />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="totals-to">
              To
            </Label>
            <Input id="totals-to" type="date" size="small" value={to} min={from} onChange={(e) => setTo(e.target.value)} data-testid="console-totals-to" />
          </div>
        </div>
      </div>
      {isLoading && (
        <Text size="small" className="text-ui-fg-subtle">
          Loading…
        </Text>
      )}
      {error && (
        <Text size="small" className="text-ui-fg-error" data-testid="console-totals-error">
          {(error as Error).message}
        </Text>
      )}
      {data && (
        <>
          <Text size="small" className="text-ui-fg-subtle" data-testid="console-totals-count">
            {data.count} invoice{data.count === 1 ? "" : "s"} created between {formatDateTime(data.from)} and {formatDateTime(data.to)}
          </Text>
          <Table data-testid="console-totals-by-currency">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell className="w-1/2">Price currency</Table.HeaderCell>
                <Table.HeaderCell className="w-1/4 text-right">Invoices</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Sum of prices</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.by_currency.map((c) => (
                <Table.Row key={c.currency}>
                  <Table.Cell>{c.currency}</Table.Cell>
                  <Table.Cell className="text-right">{c.count}</Table.Cell>
                  <Table.Cell className="text-right">{formatAmount(c.amount, c.currency)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
          <Table data-testid="console-totals-by-status">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell className="w-1/2">CoinGate status</Table.HeaderCell>
                <Table.HeaderCell className="w-1/4 text-right">Invoices</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Sum of prices</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.by_status.map((s) => {
                const label = statusLabel(s.status)
                return (
                  <Table.Row key={s.status}>
                    <Table.Cell>
                      <StatusBadge color={label.color}>{label.label}</StatusBadge>
                    </Table.Cell>
                    <Table.Cell className="text-right">{s.count}</Table.Cell>
                    <Table.Cell className="text-right">{s.amounts.map((a) => formatAmount(a.amount, a.currency)).join(", ") || "-"}</Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
        </>
      )}
    </div>
  )
}
