import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { ArrowPath, ExclamationCircle } from "@medusajs/icons"
import { Badge, Button, Container, Copy, Heading, Input, Label, Select, StatusBadge, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useEffect, useMemo, useState, type ReactNode } from "react"
import { formatDateTime, shortHash } from "../lib/coingate-api"
import {
  CoinGateRefundView,
  isExactAmount,
  OrderRefundsView,
  RefundForm,
  RefundOptions,
  refundsApi,
  refundStatusLabel,
} from "../lib/coingate-refunds-api"

const PREFIX = "pp_coingate_"
const DIGITS: Record<string, number> = { JPY: 0, KRW: 0, KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3 }

/** Whether the order page's data says the order has a CoinGate payment (undefined: it does not say). */
function hasCoinGatePayment(order: AdminOrder | undefined): boolean | undefined {
  const collections = (order as any)?.payment_collections as any[] | undefined
  if (!Array.isArray(collections)) return undefined
  return collections.some((c) => (c?.payments ?? []).some((p: any) => String(p?.provider_id ?? "").startsWith(PREFIX)))
}

const Line = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="flex items-start justify-between gap-x-4">
    <Text size="xsmall" leading="compact" className="text-ui-fg-subtle shrink-0">
      {label}
    </Text>
    <div className="min-w-0 break-words text-right">
      <Text size="xsmall" leading="compact">
        {children}
      </Text>
    </div>
  </div>
)

function Notice({ tone, title, children, testId }: { tone: "orange" | "blue"; title: string; children?: ReactNode; testId?: string }) {
  const box = tone === "orange" ? "bg-ui-tag-orange-bg border-ui-tag-orange-border" : "bg-ui-tag-blue-bg border-ui-tag-blue-border"
  const text = tone === "orange" ? "text-ui-tag-orange-text" : "text-ui-tag-blue-text"
  return (
    <div className={`${box} flex items-start gap-x-2 rounded-lg border p-3`} data-testid={testId}>
      <ExclamationCircle className={`${tone === "orange" ? "text-ui-tag-orange-icon" : "text-ui-tag-blue-icon"} mt-0.5 shrink-0`} />
      <div className="flex flex-col gap-y-1">
        <Text size="small" leading="compact" weight="plus" className={text}>
          {title}
        </Text>
        {children && (
          <Text size="small" className="text-ui-fg-subtle">
            {children}
          </Text>
        )}
      </div>
    </div>
  )
}

function RefundItem({ r }: { r: CoinGateRefundView }) {
  const status = refundStatusLabel(r.status)
  const s = r.snapshot ?? {}
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

type ManualTarget = { id: string; amount: string }

function RefundFormView({
  view,
  options,
  onDone,
  onCancel,
  orderId,
  manual,
}: {
  view: OrderRefundsView
  options: RefundOptions | undefined
  onDone: (v: OrderRefundsView) => void
  onCancel: () => void
  orderId: string
  /** Paying a refund Medusa made on its own: its amount, fixed. */
  manual: ManualTarget | null
}) {
  const currency = view.currency_code
  const digits = DIGITS[currency] ?? 2
  const refundable = manual ? manual.amount : view.payments.reduce((best, p) => (Number(p.refundable) > Number(best) ? p.refundable : best), "0")
  const [amount, setAmount] = useState(refundable)
  const [method, setMethod] = useState<"refund" | "payout">("refund")
  const [coin, setCoin] = useState<string>("")
  const [network, setNetwork] = useState<string>("")
  const [address, setAddress] = useState("")
  const [memo, setMemo] = useState("")
  const [email, setEmail] = useState(view.defaults.email ?? "")
  const [reason, setReason] = useState("")
  const [ledger, setLedger] = useState<string>("")
  const [first, setFirst] = useState(view.defaults.first_name ?? "")
  const [last, setLast] = useState(view.defaults.last_name ?? "")
  const [country, setCountry] = useState(view.defaults.country ?? "")

  useEffect(() => {
    if (options?.default_ledger_account_id && !ledger) setLedger(options.default_ledger_account_id)
  }, [options, ledger])
  const platforms = useMemo(() => options?.currencies.find((c) => String(c.id) === coin)?.platforms ?? [], [options, coin])
  useEffect(() => {
    if (platforms.length === 1) setNetwork(String(platforms[0].id))
    else if (!platforms.some((p) => String(p.id) === network)) setNetwork("")
  }, [platforms, network])

  const amountOk = isExactAmount(amount, digits) && Number(amount) <= Number(refundable)
  const ready = amountOk && coin && network && address.trim() && reason.trim() && (method === "refund" || (first && last && /^[A-Za-z]{2}$/.test(country)))

  const submit = useMutation({
    mutationFn: () => {
      const form: RefundForm = {
        amount: amount.trim(),
        method,
        currency_id: Number(coin),
        platform_id: Number(network),
        address: address.trim(),
        ...(memo.trim() ? { address_memo: memo.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
        reason: reason.trim(),
        ...(ledger ? { ledger_account_id: ledger } : {}),
        ...(method === "payout" ? { beneficiary: { first_name: first.trim(), last_name: last.trim(), country: country.trim().toUpperCase() } } : {}),
        ...(manual ? { manual_refund_id: manual.id } : {}),
      }
      return refundsApi.create(orderId, form)
    },
    onSuccess: (v) => {
      toast.success(v.refund.kind === "refund" ? "Refund requested from CoinGate" : "Payout requested from CoinGate", {
        description: `${v.refund.amount} ${v.refund.currency_code}: ${refundStatusLabel(v.refund.status).label}`,
      })
      onDone(v)
    },
    onError: (e: Error) => toast.error("CoinGate refund failed", { description: e.message }),
  })

  const field = (label: string, node: ReactNode, hint?: string) => (
    <div className="flex flex-col gap-y-1">
      <Label size="xsmall" weight="plus">
        {label}
      </Label>
      {node}
      {hint && (
        <Text size="xsmall" className="text-ui-fg-subtle">
          {hint}
        </Text>
      )}
    </div>
  )

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="coingate-refund-form">
      {field(
        `Amount (${currency})`,
        <Input
          size="small"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
          aria-invalid={!amountOk}
          disabled={!!manual}
          data-testid="coingate-refund-amount"
        />,
        manual
          ? `The refund Medusa already recorded on its own: only CoinGate is asked to pay it.`
          : `Up to ${refundable} ${currency}. Medusa records the refund; CoinGate sends the coin.`
      )}
      {field(
        "How",
        <Select value={method} onValueChange={(v) => setMethod(v as "refund" | "payout")} size="small">
          <Select.Trigger data-testid="coingate-refund-method">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            <Select.Item value="refund">CoinGate refund</Select.Item>
            <Select.Item value="payout">Payout (send request)</Select.Item>
          </Select.Content>
        </Select>,
        method === "refund"
          ? "CoinGate emails the shopper, who confirms the address; then CoinGate sends the coin."
          : "Sent from your CoinGate balance; may need your 2FA confirmation in the CoinGate dashboard."
      )}
      <div className="grid grid-cols-2 gap-x-2">
        {field(
          "Coin",
          <Select value={coin} onValueChange={setCoin} size="small">
            <Select.Trigger data-testid="coingate-refund-coin">
              <Select.Value placeholder={options ? "Choose" : "Loading…"} />
            </Select.Trigger>
            <Select.Content>
              {(options?.currencies ?? []).map((c) => (
                <Select.Item key={c.id} value={String(c.id)}>
                  {c.symbol} ({c.title})
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        )}
        {field(
          "Network",
          <Select value={network} onValueChange={setNetwork} size="small" disabled={!platforms.length}>
            <Select.Trigger data-testid="coingate-refund-network">
              <Select.Value placeholder="Choose" />
            </Select.Trigger>
            <Select.Content>
              {platforms.map((p) => (
                <Select.Item key={p.id} value={String(p.id)}>
                  {p.title}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        )}
      </div>
      {field("Shopper's address", <Input size="small" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="Their wallet address on that network" data-testid="coingate-refund-address" />)}
      {field("Memo / tag (if the address needs one)", <Input size="small" value={memo} onChange={(e) => setMemo(e.target.value)} />)}
      {field("Shopper's email", <Input size="small" value={email} onChange={(e) => setEmail(e.target.value)} type="email" />, "CoinGate emails the shopper about the refund.")}
      {field("Reason", <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} data-testid="coingate-refund-reason" />, "Shown to the shopper.")}
      {field(
        "Pay from (CoinGate balance)",
        <Select value={ledger} onValueChange={setLedger} size="small">
          <Select.Trigger data-testid="coingate-refund-ledger">
            <Select.Value placeholder="Default account" />
          </Select.Trigger>
          <Select.Content>
            {(options?.ledger_accounts ?? []).map((a) => (
              <Select.Item key={a.id} value={a.id}>
                {a.title ?? a.id} · {a.balance ?? "?"} {a.currency ?? ""}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>,
        method === "payout"
          ? options?.auto_confirm_payout_exchange
            ? "If the coin differs from this balance's currency, the exchange is confirmed automatically."
            : "If the coin differs from this balance's currency, CoinGate asks to confirm an exchange and the plugin cancels it (option autoConfirmPayoutExchange is off): pay from a balance in that coin."
          : undefined
      )}
      {method === "payout" && (
        <div className="grid grid-cols-3 gap-x-2">
          {field("First name", <Input size="small" value={first} onChange={(e) => setFirst(e.target.value)} data-testid="coingate-refund-first-name" />)}
          {field("Last name", <Input size="small" value={last} onChange={(e) => setLast(e.target.value)} data-testid="coingate-refund-last-name" />)}
          {field("Country", <Input size="small" value={country} onChange={(e) => setCountry(e.target.value)} maxLength={2} placeholder="LT" data-testid="coingate-refund-country" />)}
        </div>
      )}
      <div className="flex justify-end gap-x-2">
        <Button size="small" variant="secondary" onClick={onCancel} disabled={submit.isPending}>
          Cancel
        </Button>
        <Button size="small" onClick={() => submit.mutate()} disabled={!ready} isLoading={submit.isPending} data-testid="coingate-refund-submit">
          {method === "refund" ? "Refund through CoinGate" : "Pay out through CoinGate"}
        </Button>
      </div>
    </div>
  )
}

const CoinGateRefundsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const queryClient = useQueryClient()
  const known = hasCoinGatePayment(order)
  const queryKey = ["coingate", "refunds", order.id]
  const [formOpen, setFormOpen] = useState(false)
  const [manual, setManual] = useState<ManualTarget | null>(null)
  const { data, isLoading, error } = useQuery({ queryKey, queryFn: () => refundsApi.list(order.id), enabled: known !== false })
  const options = useQuery({ queryKey: ["coingate", "refund-options", order.id], queryFn: () => refundsApi.options(order.id), enabled: formOpen })

  const afterChange = (v: OrderRefundsView) => {
    queryClient.setQueryData(queryKey, v)
    // The order page's totals and the payment widget change with a refund.
    queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === "orders" || q.queryKey[0] === "order" || (q.queryKey[0] === "coingate" && q.queryKey[1] === "order") })
  }
  const refresh = useMutation({
    mutationFn: () => refundsApi.refresh(order.id),
    onSuccess: (v) => {
      afterChange(v)
      toast.success("Refunds refreshed from CoinGate")
    },
    onError: (e: Error) => toast.error("Refresh failed", { description: e.message }),
  })

  if (known === false || isLoading) return null
  if (error) {
    return (
      <Container className="px-6 py-4" data-testid="coingate-refunds-error">
        <Heading level="h2">CoinGate refunds</Heading>
        <Text size="small" className="text-ui-fg-error mt-2">
          {(error as Error).message}
        </Text>
      </Container>
    )
  }
  if (!data || data.payments.length === 0) return null
  const refundable = data.payments.some((p) => Number(p.refundable) > 0)

  return (
    <Container className="divide-y p-0" data-testid="coingate-refunds-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">CoinGate refunds</Heading>
        <div className="flex items-center gap-x-2">
          {data.refunds.some((r) => r.outcome === "open") && (
            <Button size="small" variant="transparent" onClick={() => refresh.mutate()} isLoading={refresh.isPending} data-testid="coingate-refunds-refresh">
              <ArrowPath />
            </Button>
          )}
          {refundable && !formOpen && (
            <Button
              size="small"
              variant="secondary"
              onClick={() => {
                setManual(null)
                setFormOpen(true)
              }}
              data-testid="coingate-refund-open"
            >
              Refund
            </Button>
          )}
        </div>
      </div>
      <div className="flex flex-col gap-y-1 px-6 py-3">
        <Line label="Paid through CoinGate">
          {data.payments.map((p) => p.captured).join(" + ")} {data.currency_code}
        </Line>
        <Line label="Refunded in Medusa">
          {data.payments.map((p) => p.refunded).join(" + ")} {data.currency_code}
        </Line>
        <Line label="Can still be refunded">
          {data.payments.map((p) => p.refundable).join(" + ")} {data.currency_code}
        </Line>
      </div>
      {formOpen && (
        <RefundFormView
          key={manual?.id ?? "new"}
          view={data}
          options={options.data}
          orderId={order.id}
          manual={manual}
          onCancel={() => setFormOpen(false)}
          onDone={(v) => {
            afterChange(v)
            setFormOpen(false)
          }}
        />
      )}
      {data.manual_refunds.length > 0 && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="coingate-manual-refunds">
          {data.manual_refunds.map((m, i) =>
            m.settled_by ? (
              <Line key={`${m.medusa_refund_id}-${i}`} label={`Medusa's refund of ${m.amount} ${m.currency_code}`}>
                paid through CoinGate ({m.settled_by})
              </Line>
            ) : (
              <div key={`${m.medusa_refund_id}-${i}`} className="flex flex-col gap-y-2">
                <Notice tone="orange" title={`To refund by hand: ${m.amount} ${m.currency_code} (${formatDateTime(m.at)})`}>
                  {m.note}
                </Notice>
                {m.medusa_refund_id && !formOpen && (
                  <div className="flex justify-end">
                    <Button
                      size="small"
                      variant="secondary"
                      onClick={() => {
                        setManual({ id: m.medusa_refund_id!, amount: m.amount })
                        setFormOpen(true)
                      }}
                      data-testid="coingate-manual-refund-pay"
                    >
                      Pay through CoinGate
                    </Button>
                  </div>
                )}
              </div>
            )
          )}
        </div>
      )}
      {data.refunds.map((r) => (
        <RefundItem key={r.id} r={r} />
      ))}
      {data.refunds.length === 0 && data.manual_refunds.length === 0 && (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            No refunds yet. Refund from here to send the shopper crypto through CoinGate; Medusa's own Refund button only records a refund.
          </Text>
        </div>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default CoinGateRefundsWidget
