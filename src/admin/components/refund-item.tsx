import { Badge, Copy, StatusBadge, Text } from "@medusajs/ui"
import { formatDateTime, shortHash } from "../lib/coingate-api"
import { CoinGateRefundView, refundStatusLabel } from "../lib/coingate-refunds-api"
import { Line, Notice } from "./refund-line"

/** One CoinGate refund or payout of the order: status, where it goes, what CoinGate sent and charged. */
export function RefundItem({ r }: { r: CoinGateRefundView }) {
  const status = refundStatusLabel(r.status)
  // The snapshot is CoinGate's own answer as stored (refunds/rules/snapshots.ts): read loosely, field by field.
  const s: Record<string, any> = r.snapshot ?? {}
  const txs: any[] = (r.kind === "refund" ? s.transactions : s.blockchain_transactions) ?? []
  const fees = Object.entries((s.fees ?? {}) as Record<string, { amount: string | null; currency: string | null } | null>).filter(([, f]) => f?.amount)
  const sent = r.kind === "refund" ? (s.refund_amount ? `${s.refund_amount} ${s.refund_currency ?? r.coin ?? ""}` : null) : s.sending_amount ? `${s.sending_amount} ${s.sending_currency ?? ""}` : null
  const lastNote = [...r.history].reverse().find((h) => h.note)?.note
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="coingate-refund" data-status={r.status} data-kind={r.kind}>
      <div className="flex items-center justify-between gap-x-2">
        <div className="flex items-center gap-x-2">
          <Badge size="2xsmall">{r.kind === "refund" ? "Refund" : "Payout"}</Badge>
          <Text size="small" leading="compact" weight="plus">
            {r.amount} {r.currency_code}
          </Text>
        </div>
        <StatusBadge color={status.color} data-testid="coingate-refund-status">
          {status.label}
        </StatusBadge>
      </div>
      {r.requires_2fa_confirmation && (
        <Notice tone="blue" title="Confirm this payout with 2FA" testId="coingate-refund-2fa">
          CoinGate waits for your two-factor confirmation: CoinGate dashboard → Payouts → Outgoing payments. Unconfirmed payouts expire after 30 days.
        </Notice>
      )}
      {r.rejection_reason && (
        <Notice tone="orange" title="Rejected by CoinGate" testId="coingate-refund-rejection">
          {r.rejection_reason}
        </Notice>
      )}
      {r.attention && !r.rejection_reason && <Notice tone="orange" title="Not sent">{r.attention.note}</Notice>}
      {r.attention && r.rejection_reason && (
        <Text size="xsmall" className="text-ui-fg-subtle">
          {r.attention.note}
        </Text>
      )}
      <div className="flex flex-col gap-y-1">
        <Line label="To">
          <span className="inline-flex items-center gap-x-1">
            {shortHash(r.address, 10)} <Copy content={r.address} />
          </span>
        </Line>
        {r.address_memo && <Line label="Memo / tag">{r.address_memo}</Line>}
        <Line label="Coin">{[r.coin, r.network].filter(Boolean).join(" on ") || "-"}</Line>
        {sent && <Line label={r.outcome === "sent" ? "Sent" : r.outcome === "open" ? "To send" : "Not sent"}>{sent}</Line>}
        {r.kind === "payout" && s.input_to_sending_rate && (
          <Line label="Rate">
            1 {s.input_currency} = {s.input_to_sending_rate} {s.sending_currency}
          </Line>
        )}
        {s.balance_debit_amount && (
          <Line label="Debited">
            {s.balance_debit_amount} {s.balance_debit_currency ?? ""}
            {s.sending_to_balance_debit_rate ? ` (1 ${s.sending_currency} = ${s.sending_to_balance_debit_rate} ${s.balance_debit_currency})` : ""}
          </Line>
        )}
        {fees.map(([name, f]) => (
          <Line key={name} label={name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, " ")}>
            {f!.amount} {f!.currency ?? ""}
          </Line>
        ))}
        {txs.map((t, i) => (
          <Line key={`${t.txid}-${i}`} label="Transaction">
            <span className="inline-flex items-center gap-x-1">
              {shortHash(t.txid)} {t.txid && <Copy content={t.txid} />} {t.status ? `(${t.status})` : ""}
            </span>
          </Line>
        ))}
        <Line label="CoinGate id">
          {r.kind === "refund" ? `refund ${r.coingate_id}` : `send request ${r.coingate_id}`}
        </Line>
        <Line label="Requested">{formatDateTime(r.created_at)}</Line>
        {r.completed_at && <Line label="Completed">{formatDateTime(r.completed_at)}</Line>}
        {lastNote && !r.attention && <Line label="Note">{lastNote}</Line>}
      </div>
    </div>
  )
}
