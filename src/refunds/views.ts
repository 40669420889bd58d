import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type { CoinGateOrder } from "../coingate/types"
import { ManualRefundEntry, manualRefundNote } from "./rules/request"
import { compareDecimal, subtractDecimal } from "../shared/decimal"
import { currencyDigits } from "../shared/amounts"
import { outcomeOf } from "./rules/status"
import { pickLedgerAccount } from "./rules/form-options"
import { coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { findRecord } from "../payments/records"
import { listIntents } from "./intents"
import { capFigures, owedMedusaRefunds } from "./rules/cap"
import { capMoneyOf } from "./cap-inputs"
import { coingatePayments, loadOrder, PaymentRow, paymentSummary, refundAmountOf } from "./orders"
import { CoinGateRefundRecord, listRefundRecords, RefundHistoryEntry } from "./records"

/** What the admin sees: an order's refunds and payouts, and the options of the refund form. */

/** What the admin sees of a record: the record's own fields, plus what they mean, with dates as ISO strings. */
export type AdminCoinGateRefund = Pick<
  CoinGateRefundRecord,
  | "id"
  | "kind"
  | "medusa_refund_id"
  | "payment_id"
  | "coingate_id"
  | "coingate_order_id"
  | "amount"
  | "currency_code"
  | "address"
  | "address_memo"
  | "coin"
  | "network"
  | "currency_id"
  | "platform_id"
  | "email"
  | "reason"
  | "ledger_account_id"
  | "status"
  | "rejection_reason"
> & {
  /** open (CoinGate or someone still has to act), sent, not_sent. */
  outcome: string
  /** False while made at CoinGate but not recorded in Medusa (Medusa refused it): it still counts in the cap. */
  recorded_in_medusa: boolean
  requires_2fa_confirmation: boolean
  attention: { reason: string; note: string | null } | null
  snapshot: Record<string, unknown> | null
  history: RefundHistoryEntry[]
  created_at: string | null
  updated_at: string | null
  completed_at: string | null
  last_callback_at: string | null
}

const iso = (v: unknown): string | null => {
  if (v === undefined || v === null || v === "") return null
  const d = v instanceof Date ? v : new Date(String(v))
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** What the admin sees of a record: picked field by field (no callback URL, no token). */
export function refundView(r: CoinGateRefundRecord): AdminCoinGateRefund {
  const snapshot = (r.snapshot ?? null) as Record<string, unknown> | null
  return {
    id: r.id,
    kind: r.kind,
    medusa_refund_id: r.medusa_refund_id,
    payment_id: r.payment_id,
    coingate_id: r.coingate_id,
    coingate_order_id: r.coingate_order_id,
    amount: r.amount,
    currency_code: r.currency_code,
    address: r.address,
    address_memo: r.address_memo,
    coin: r.coin,
    network: r.network,
    currency_id: r.currency_id,
    platform_id: r.platform_id,
    email: r.email,
    reason: r.reason,
    ledger_account_id: r.ledger_account_id,
    status: r.status,
    outcome: outcomeOf(r.kind, r.status),
    recorded_in_medusa: !!r.medusa_refund_id,
    rejection_reason: r.rejection_reason,
    requires_2fa_confirmation: r.kind === "payout" && r.status === "draft" && !!snapshot?.requires_2fa_confirmation,
    attention: r.attention ? { reason: r.attention, note: r.attention_note } : null,
    snapshot,
    history: (Array.isArray(r.history) ? r.history : []).map((h) => ({ ...h, at: iso(h.at) ?? String(h.at) })),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    completed_at: iso(r.completed_at),
    last_callback_at: iso(r.last_callback_at),
  }
}

export type AdminRefundIntent = {
  id: string
  kind: "refund" | "payout"
  state: string
  amount: string
  currency_code: string
  payment_id: string
  requested_at: string | null
  note: string
}

export type AdminOrderRefunds = {
  order_id: string
  currency_code: string
  payments: Array<{ payment_id: string; provider_id: string; coingate_order_id: string | null; captured: string; refunded: string; refundable: string }>
  refunds: AdminCoinGateRefund[]
  /**
   * Refunds and payouts asked of CoinGate and not settled yet: requested (in flight) or unknown (the
   * answer was lost; reserved until CoinGate is read: "Check CoinGate").
   */
  intents: AdminRefundIntent[]
  /** Refunds Medusa made on its own: the merchant still has to pay them (CoinGate dashboard). */
  manual_refunds: Array<ManualRefundEntry & { payment_id: string }>
  /** For the form: the order's email and the shopper's name and country (a payout's beneficiary). */
  defaults: { email: string | null; first_name: string | null; last_name: string | null; country: string | null }
}

/**
 * The refunds Medusa made on its own, from Medusa's refund rows: every refund of a CoinGate payment that
 * no CoinGate refund or payout of the plugin pays, plus those the merchant paid later from the card
 * ("settled"). Amounts are Medusa's, so a listed refund is always one Medusa really counts.
 */
async function manualRefunds(container: MedusaContainer, payments: PaymentRow[], records: CoinGateRefundRecord[]) {
  const ids = payments.flatMap((p) => (p.refunds ?? []).map((r) => r.id))
  const intents = ids.length ? await listIntents(container, { medusa_refund_id: ids }) : []
  const owedById = new Map<string, string>()
  for (const p of payments) for (const o of owedMedusaRefunds(await capMoneyOf(container, p))) owedById.set(o.id, o.owed)
  return payments.flatMap((p) =>
    (p.refunds ?? []).flatMap((r) => {
      const record = records.find((x) => x.medusa_refund_id === r.id)
      const settle = intents.find((i) => i.medusa_refund_id === r.id && i.purpose === "settle" && i.state === "sent")
      // A refund made through the form is paid by its record (or about to be): not one to make by hand.
      const viaForm = intents.some((i) => i.medusa_refund_id === r.id && i.purpose === "new" && i.state !== "failed")
      if ((record || viaForm) && !settle) return []
      const full = refundAmountOf(p, r.id)!
      // What is still owed: CoinGate money no Medusa refund records already paid part or all of it (cap.ts).
      const owed = record ? full : owedById.get(r.id) ?? full
      const covered = compareDecimal(owed, full) < 0
      const currency = (p.currency_code ?? "").toUpperCase()
      const entry: ManualRefundEntry & { payment_id: string } = {
        medusa_refund_id: r.id,
        amount: owed,
        currency_code: currency,
        at: iso(r.created_at) ?? "",
        note: covered
          ? compareDecimal(owed, "0") > 0
            ? `${manualRefundNote(full, currency)} CoinGate already sent ${subtract(full, owed, p)} ${currency} of it (a CoinGate refund Medusa could not record): ${owed} ${currency} is left to pay.`
            : `Medusa recorded a refund of ${full} ${currency} on its own; CoinGate already sent that money (a CoinGate refund or payout Medusa could not record). Nothing is left to pay.`
          : manualRefundNote(full, currency),
        settled_by: record
          ? `${record.kind === "refund" ? "refund" : "send request"} ${record.coingate_id}`
          : compareDecimal(owed, "0") <= 0
            ? "CoinGate refunds Medusa could not record"
            : null,
        settled_at: record ? iso(record.created_at) : null,
        payment_id: p.id,
      }
      return [entry]
    })
  )
}

/** `a − b` in the payment currency's precision (both non-negative, a ≥ b). */
const subtract = (a: string, b: string, p: PaymentRow) => subtractDecimal(a, b, currencyDigits(p.currency_code ?? ""))

/** The payments' intents not settled yet, as the admin reads them. */
async function unsettledIntents(container: MedusaContainer, payments: PaymentRow[]): Promise<AdminRefundIntent[]> {
  if (!payments.length) return []
  const intents = await listIntents(container, { payment_id: payments.map((p) => p.id), state: ["requested", "unknown"] })
  return intents
    .filter((i) => !i.refund_record_id)
    .reverse()
    .map((i) => ({
      id: i.id,
      kind: i.kind,
      state: i.state,
      amount: i.amount,
      currency_code: i.currency_code,
      payment_id: i.payment_id,
      requested_at: iso(i.sent_at ?? i.created_at),
      note:
        i.state === "unknown"
          ? `CoinGate's answer was lost: the ${i.kind} of ${i.amount} ${i.currency_code} may have been made. Its amount is reserved until CoinGate is read ("Check CoinGate").`
          : `Being asked of CoinGate now.`,
    }))
}

/** `GET /admin/coingate/orders/:order_id/refunds`. */
export async function orderRefundsView(container: MedusaContainer, orderId: string): Promise<AdminOrderRefunds> {
  const order = await loadOrder(container, orderId)
  const payments = coingatePayments(order)
  const byOrder = await listRefundRecords(container, { order_id: orderId })
  const byPayment = payments.length ? await listRefundRecords(container, { payment_id: payments.map((p) => p.id) }) : []
  const records = new Map<string, CoinGateRefundRecord>()
  for (const r of [...byOrder, ...byPayment]) records.set(r.id, r)
  const address = order.billing_address ?? order.shipping_address ?? null
  return {
    order_id: order.id,
    currency_code: order.currency_code.toUpperCase(),
    payments: await Promise.all(
      payments.map(async (p) => {
        const s = paymentSummary(p)
        // What can still leave: the one cap (refunds made, in flight or unknown count), within Medusa's own room.
        const { room, medusaRoom } = capFigures(await capMoneyOf(container, p))
        return {
          payment_id: p.id,
          provider_id: p.provider_id,
          coingate_order_id: p.data?.coingate_order_id ? String(p.data.coingate_order_id) : null,
          captured: s.captured,
          refunded: s.refunded,
          refundable: compareDecimal(room, medusaRoom) < 0 ? room : medusaRoom,
        }
      })
    ),
    refunds: [...records.values()].sort((a, b) => iso(a.created_at)!.localeCompare(iso(b.created_at)!)).map(refundView),
    intents: await unsettledIntents(container, payments),
    manual_refunds: await manualRefunds(container, payments, [...records.values()]),
    defaults: {
      email: order.email ?? null,
      first_name: address?.first_name ?? null,
      last_name: address?.last_name ?? null,
      country: address?.country_code ? address.country_code.toUpperCase() : null,
    },
  }
}

/** `GET /admin/coingate/refund-options`: coins and networks, ledger accounts, and the default account. */
export async function refundOptions(container: MedusaContainer, opts: { orderId?: string | null; providerId?: string | null }) {
  let providerId = opts.providerId ?? null
  let receive: string | null = null
  if (opts.orderId) {
    const order = await loadOrder(container, opts.orderId)
    const payment = coingatePayments(order)[0]
    if (payment) {
      providerId = providerId ?? payment.provider_id
      const record = payment.data?.coingate_order_id ? await findRecord(container, { coingateOrderId: String(payment.data.coingate_order_id) }) : null
      receive = (record?.snapshot as CoinGateOrder | null)?.receive_currency ?? null
    }
  }
  if (!providerId) {
    const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders({}, { take: null as any })
    providerId = providers.map((p) => p.id).find(isCoinGateProviderId) ?? null
  }
  if (!providerId) throw new MedusaError(MedusaError.Types.NOT_FOUND, "No CoinGate payment provider is configured.")
  const gateway = coingateGateway(container, providerId)
  const [coins, accounts] = await Promise.all([gateway.refunds.refundCoins(), gateway.refunds.ledgerAccounts()])
  const configured = gateway.refunds.configuredLedgerAccountId
  return {
    provider_id: providerId,
    currencies: coins,
    ledger_accounts: accounts.map((a) => ({
      id: a.id,
      title: a.title ?? null,
      currency: a.currency?.symbol ?? null,
      balance: a.balance ?? null,
      account_type: a.account_type ?? null,
      status: a.status ?? null,
    })),
    default_ledger_account_id: pickLedgerAccount(accounts, { configured, currency: receive })?.id ?? null,
    configured_ledger_account_id: configured ?? null,
    auto_confirm_payout_exchange: gateway.refunds.autoConfirmPayoutExchange,
  }
}
