import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { ArrowPath, ArrowUpRightOnBox, ExclamationCircle } from "@medusajs/icons"
import { Badge, Button, Container, Copy, Heading, StatusBadge, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { ReactNode } from "react"
import {
  attentionLabel,
  CoinGateOrderView,
  CoinGatePayment,
  coingateApi,
  formatAmount,
  formatDateTime,
  formatRelative,
  medusaStateLabel,
  shortHash,
  sourceLabel,
  statusLabel,
} from "../lib/coingate-api"
import { sameDecimal, sumDecimals } from "../lib/decimal"

const PREFIX = "pp_coingate_"

/** Whether the order page's data already says the order has a CoinGate payment (undefined: it does not say). */
function hasCoinGatePayment(order: AdminOrder | undefined): boolean | undefined {
  const collections = (order as any)?.payment_collections as any[] | undefined
  if (!Array.isArray(collections)) return undefined
  return collections.some(
    (c) =>
      (c?.payment_sessions ?? []).some((s: any) => String(s?.provider_id ?? "").startsWith(PREFIX)) ||
      (c?.payments ?? []).some((p: any) => String(p?.provider_id ?? "").startsWith(PREFIX))
  )
}

const Row = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="grid grid-cols-2 items-start gap-x-4 px-6 py-2" data-testid={testId}>
    <Text size="small" leading="compact" weight="plus" className="text-ui-fg-subtle">
      {label}
    </Text>
    <div className="text-ui-fg-base min-w-0 break-words text-right">{children}</div>
  </div>
)

const Value = ({ children, className }: { children: ReactNode; className?: string }) => (
  <Text size="small" leading="compact" className={className}>
    {children}
  </Text>
)

function AttentionBox({ payment, onHandled, busy }: { payment: CoinGatePayment; onHandled: () => void; busy: boolean }) {
  if (!payment.attention) return null
  return (
    <div className="px-6 py-4" data-testid="coingate-attention">
      <div className="bg-ui-tag-orange-bg border-ui-tag-orange-border flex flex-col gap-y-3 rounded-lg border p-3">
        <div className="flex items-start gap-x-2">
          <ExclamationCircle className="text-ui-tag-orange-icon mt-0.5 shrink-0" />
          <div className="flex flex-col gap-y-1">
            <Text size="small" leading="compact" weight="plus" className="text-ui-tag-orange-text">
              Needs attention: {attentionLabel(payment.attention.reason)}
            </Text>
            {payment.attention.note && (
              <Text size="small" className="text-ui-fg-subtle">
                {payment.attention.note}
              </Text>
            )}
          </div>
        </div>
        {payment.id && (
          <div className="flex justify-end">
            <Button size="small" variant="secondary" onClick={onHandled} isLoading={busy} data-testid="coingate-mark-handled">
              Mark as handled
            </Button>
          </div>
        )}
      </div>
    </div>
  )
}

function History({ payment }: { payment: CoinGatePayment }) {
  if (payment.history.length === 0) return null
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="coingate-history">
      <Text size="small" leading="compact" weight="plus">
        Status history
      </Text>
      <ol className="flex flex-col gap-y-2">
        {[...payment.history].reverse().map((h, i) => {
          const s = statusLabel(h.status)
          return (
            <li key={`${h.at}-${i}`} className="flex items-center justify-between gap-x-2">
              <StatusBadge color={s.color} className="shrink-0">
                {s.label}
              </StatusBadge>
              <Text size="xsmall" leading="compact" className="text-ui-fg-subtle text-right" title={`from ${sourceLabel(h.source)}`}>
                {formatDateTime(h.at)} · {sourceLabel(h.source)}
              </Text>
            </li>
          )
        })}
      </ol>
    </div>
  )
}

function Transactions({ payment }: { payment: CoinGatePayment }) {
  if (payment.blockchain_transactions.length === 0) return null
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="coingate-transactions">
      <Text size="small" leading="compact" weight="plus">
        Blockchain transactions
      </Text>
      <ul className="flex flex-col gap-y-3">
        {payment.blockchain_transactions.map((tx, i) => (
          <li key={tx.txid ?? i} className="flex flex-col gap-y-1" data-testid="coingate-transaction">
            <div className="flex items-center justify-between gap-x-2">
              <div className="flex min-w-0 items-center gap-x-1">
                <Text size="xsmall" leading="compact" className="text-ui-fg-subtle truncate font-mono" title={tx.txid ?? undefined}>
                  {shortHash(tx.txid)}
                </Text>
                {tx.txid && <Copy content={tx.txid} className="text-ui-fg-muted" />}
              </div>
              <Text size="small" leading="compact" weight="plus" className="shrink-0">
                {formatAmount(tx.amount, tx.currency)}
              </Text>
            </div>
            <div className="flex items-center justify-between gap-x-2">
              <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
                {tx.confirmations === null ? "confirmations unknown" : `${tx.confirmations} confirmation${tx.confirmations === 1 ? "" : "s"}`}
              </Text>
              {tx.status && (
                <Badge size="2xsmall" color={tx.status === "confirmed" ? "green" : "orange"}>
                  {tx.status}
                </Badge>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function PaymentDetails({
  payment,
  showStatus,
  onHandled,
  handling,
}: {
  payment: CoinGatePayment
  showStatus: boolean
  onHandled: (p: CoinGatePayment) => void
  handling: boolean
}) {
  const status = statusLabel(payment.status)
  const received = sumDecimals(payment.blockchain_transactions.map((t) => t.amount))
  const coin = payment.pay_currency ?? payment.blockchain_transactions[0]?.currency ?? null
  const expired = payment.status === "expired"
  return (
    <div className="flex flex-col divide-y" data-testid="coingate-payment" data-coingate-order-id={payment.coingate_order_id ?? undefined}>
      <AttentionBox payment={payment} onHandled={() => onHandled(payment)} busy={handling} />
      <div className="flex flex-col py-2">
        <Row label="CoinGate order" testId="coingate-order">
          <div className="flex items-center justify-end gap-x-2">
            {payment.dashboard_url ? (
              <a
                href={payment.dashboard_url}
                target="_blank"
                rel="noreferrer"
                className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small-plus inline-flex items-center gap-x-1"
                data-testid="coingate-dashboard-link"
              >
                #{payment.coingate_order_id}
                <ArrowUpRightOnBox />
              </a>
            ) : (
              <Value>#{payment.coingate_order_id ?? "-"}</Value>
            )}
            {showStatus && (
              <StatusBadge color={status.color} data-testid="coingate-status">
                {status.label}
              </StatusBadge>
            )}
          </div>
        </Row>
        <Row label="Price" testId="coingate-price">
          <Value>{formatAmount(payment.price_amount, payment.price_currency)}</Value>
        </Row>
        <Row label="Shopper paid" testId="coingate-paid">
          {received && coin ? (
            <div className="flex flex-col items-end">
              <Value>{formatAmount(received, coin)}</Value>
              {payment.pay_amount && !sameDecimal(received, payment.pay_amount) && (
                <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
                  of {formatAmount(payment.pay_amount, coin)} due
                </Text>
              )}
            </div>
          ) : (
            <Value className="text-ui-fg-subtle">
              {payment.pay_amount && coin ? `nothing yet (${formatAmount(payment.pay_amount, coin)} due)` : "nothing yet"}
            </Value>
          )}
        </Row>
        <Row label="Merchant receives" testId="coingate-receive">
          <Value className={payment.receive_amount ? undefined : "text-ui-fg-subtle"}>
            {payment.receive_amount
              ? formatAmount(payment.receive_amount, payment.receive_currency)
              : payment.receive_currency
                ? `- (settles in ${payment.receive_currency})`
                : "-"}
          </Value>
        </Row>
        {payment.underpaid_amount && (
          <Row label="Underpaid" testId="coingate-underpaid">
            <Value className="text-ui-fg-error">{formatAmount(payment.underpaid_amount, coin)} missing</Value>
          </Row>
        )}
        {payment.overpaid_amount && (
          <Row label="Overpaid" testId="coingate-overpaid">
            <Value className="text-ui-tag-orange-text">{formatAmount(payment.overpaid_amount, coin)} extra</Value>
          </Row>
        )}
        {payment.paid_at ? (
          <Row label="Paid at" testId="coingate-paid-at">
            <Value>{formatDateTime(payment.paid_at)}</Value>
          </Row>
        ) : (
          payment.expire_at && (
            <Row label={expired || Date.parse(payment.expire_at) < Date.now() ? "Expired" : "Expires"} testId="coingate-expiry">
              <Value>{formatDateTime(payment.expire_at)}</Value>
            </Row>
          )
        )}
        {payment.medusa_state && (
          <Row label="In Medusa" testId="coingate-medusa-state">
            <Value>{medusaStateLabel(payment.medusa_state)}</Value>
          </Row>
        )}
      </div>
      <History payment={payment} />
      <Transactions payment={payment} />
    </div>
  )
}

function lastHeard(payments: CoinGatePayment[]): { callback: string | null; synced: string | null } {
  const latest = (values: (string | null)[]) =>
    values.filter((v): v is string => !!v).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null
  return {
    callback: latest(payments.map((p) => p.last_callback_at)),
    synced: latest(payments.map((p) => p.last_synced_at)),
  }
}

/** The payment whose status the header shows: the newest one still attached to a session, else the newest. */
function primaryPayment(payments: CoinGatePayment[]): CoinGatePayment {
  const attached = payments.filter((p) => p.session_status !== null)
  return (attached.length ? attached : payments)[(attached.length ? attached : payments).length - 1]
}

const CoinGateOrderWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const queryClient = useQueryClient()
  const known = hasCoinGatePayment(order)
  const queryKey = ["coingate", "order", order.id]
  const { data, isLoading, error } = useQuery({
    queryKey,
    queryFn: () => coingateApi.order(order.id),
    enabled: known !== false,
  })

  const refresh = useMutation({
    mutationFn: () => coingateApi.refresh(order.id),
    onSuccess: (view: CoinGateOrderView) => {
      queryClient.setQueryData(queryKey, view)
      // The order page itself (payment status, activity) may have changed too.
      queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === "orders" || q.queryKey[0] === "order" })
      const failed = (view.refreshed ?? []).filter((r) => !r.ok)
      if (failed.length) {
        toast.error("CoinGate could not be read", { description: failed.map((f) => f.error).join("; ") })
      } else {
        toast.success("Refreshed from CoinGate")
      }
    },
    onError: (e: Error) => toast.error("Refresh failed", { description: e.message }),
  })

  const handled = useMutation({
    mutationFn: (p: CoinGatePayment) => coingateApi.clearAttention(p.id!),
    onSuccess: () => {
      toast.success("Marked as handled")
      return queryClient.invalidateQueries({ queryKey })
    },
    onError: (e: Error) => toast.error("Could not mark as handled", { description: e.message }),
  })

  if (known === false) return null
  if (isLoading) {
    return (
      <Container className="px-6 py-4">
        <Heading level="h2">CoinGate</Heading>
        <Text size="small" className="text-ui-fg-subtle mt-2">
          Loading…
        </Text>
      </Container>
    )
  }
  if (error) {
    return (
      <Container className="px-6 py-4" data-testid="coingate-widget-error">
        <Heading level="h2">CoinGate</Heading>
        <Text size="small" className="text-ui-fg-error mt-2">
          {(error as Error).message}
        </Text>
      </Container>
    )
  }
  const payments = data?.payments ?? []
  if (payments.length === 0) return null

  const primary = primaryPayment(payments)
  const status = statusLabel(primary.status)
  const heard = lastHeard(payments)
  const sandbox = payments.some((p) => p.sandbox === true)

  return (
    <Container className="divide-y p-0" data-testid="coingate-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex items-center gap-x-2">
          <Heading level="h2">CoinGate</Heading>
          {sandbox && (
            <Badge size="2xsmall" color="orange" data-testid="coingate-sandbox">
              Sandbox
            </Badge>
          )}
        </div>
        <StatusBadge color={status.color} data-testid="coingate-header-status">
          {status.label}
        </StatusBadge>
      </div>
      {payments.map((p) => (
        <PaymentDetails
          key={p.id ?? p.coingate_order_id ?? p.payment_session_id}
          payment={p}
          showStatus={payments.length > 1}
          onHandled={(x) => handled.mutate(x)}
          handling={handled.isPending}
        />
      ))}
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div className="flex flex-col" data-testid="coingate-last-heard">
          <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
            Last callback: <span title={heard.callback ? formatDateTime(heard.callback) : undefined}>{formatRelative(heard.callback)}</span>
          </Text>
          <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
            Last checked: <span title={heard.synced ? formatDateTime(heard.synced) : undefined}>{formatRelative(heard.synced)}</span>
          </Text>
        </div>
        <Button
          size="small"
          variant="secondary"
          onClick={() => refresh.mutate()}
          isLoading={refresh.isPending}
          data-testid="coingate-refresh"
        >
          <ArrowPath />
          Refresh from CoinGate
        </Button>
      </div>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
  id: "medusa-payment-coingate:order",
})

export default CoinGateOrderWidget
