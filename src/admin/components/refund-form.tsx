import { Button, Input, Label, Select, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation } from "@tanstack/react-query"
import { useEffect, useMemo, useState, type ReactNode } from "react"
import { isExactAmount, OrderRefundsView, RefundForm, RefundOptions, refundsApi, refundStatusLabel } from "../lib/coingate-refunds-api"

const DIGITS: Record<string, number> = { JPY: 0, KRW: 0, KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3 }

/** A refund Medusa made on its own, to pay through CoinGate. */
export type ManualTarget = { id: string; amount: string }

export function RefundFormView({
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
  // One key per form opened: a double click or a retried request is one refund on the server.
  const [idempotencyKey] = useState(() => `form_${crypto.randomUUID().replace(/-/g, "")}`)

  useEffect(() => {
    if (options?.default_ledger_account_id && !ledger) setLedger(options.default_ledger_account_id)
  }, [options, ledger])
  const platforms = useMemo(() => options?.currencies.find((c) => String(c.id) === coin)?.platforms ?? [], [options, coin])
  useEffect(() => {
    if (platforms.length === 1) setNetwork(String(platforms[0].id))
    else if (!platforms.some((p) => String(p.id) === network)) setNetwork("")
  }, [platforms, network])

  const amountOk = isExactAmount(amount, digits) && Number(amount) <= Number(refundable)
  const ready = amountOk && coin && network && address.trim() && reason.trim() && (method === "refund" || (first && last && /^[A-Za-z]{2,3}$/.test(country.trim())))

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
        idempotency_key: idempotencyKey,
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
          {/* ISO code, two letters as Medusa stores it (LT) or three (LTU); the server sends CoinGate alpha-3. */}
          {field("Country", <Input size="small" value={country} onChange={(e) => setCountry(e.target.value)} maxLength={3} placeholder="LT" title="ISO country code: LT or LTU" data-testid="coingate-refund-country" />)}
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
