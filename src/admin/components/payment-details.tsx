import { ArrowUpRightOnBox, ExclamationCircle } from "@medusajs/icons"
import { Badge, Button, Copy, StatusBadge, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { attentionLabel, CoinGatePayment, formatAmount, formatDateTime, medusaStateLabel, shortHash, sourceLabel, statusLabel } from "../lib/coingate-api"
import { sameDecimal, sumDecimals } from "../../shared/decimal"

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

export function PaymentDetails({
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
  // A closed invoice asks nothing more of the shopper: no amount "due" on it.
  const closed = expired || payment.status === "canceled" || payment.status === "invalid"
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
              {payment.pay_amount && !closed && !sameDecimal(received, payment.pay_amount) && (
                <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
                  of {formatAmount(payment.pay_amount, coin)} due
                </Text>
              )}
            </div>
          ) : (
            <Value className="text-ui-fg-subtle">
              {closed ? "nothing" : payment.pay_amount && coin ? `nothing yet (${formatAmount(payment.pay_amount, coin)} due)` : "nothing yet"}
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
