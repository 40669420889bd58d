import type { CoinGateRefund, CoinGateSendRequest, CurrencyRef } from "../../coingate/refund-types"

/** Snapshots: what is kept of CoinGate's refund and send request objects (never the callback URL: it holds the callback token). */

const currencyOf = (c: CurrencyRef | undefined | null) =>
  c && typeof c === "object" ? { id: c.id ?? null, symbol: c.symbol ?? null, title: c.title ?? null } : null

const money = (m: unknown) => {
  const f = m as { amount?: unknown; currency?: CurrencyRef } | undefined
  return f && typeof f === "object" ? { amount: f.amount === undefined || f.amount === null ? null : String(f.amount), currency: currencyOf(f.currency)?.symbol ?? null } : null
}

const txs = (list: unknown) =>
  (Array.isArray(list) ? list : []).map((t: any) => ({
    txid: t?.txid ? String(t.txid) : null,
    amount: t?.amount === undefined || t?.amount === null ? null : String(t.amount),
    status: t?.status ? String(t.status) : null,
    confirmations: typeof t?.network_confirmations === "number" ? t.network_confirmations : t?.network_confirmations ? Number(t.network_confirmations) : null,
  }))

/** A value as text, or null when absent or empty. */
export const textOrNull = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v))
const s = textOrNull

const bool = (v: unknown) => v === true || v === "true" || v === "1"

export function refundSnapshot(r: CoinGateRefund): Record<string, unknown> {
  return {
    id: r.id,
    status: s(r.status),
    request_amount: s(r.request_amount),
    refund_amount: s(r.refund_amount),
    refund_currency: currencyOf(r.refund_currency)?.symbol ?? null,
    network: s(r.refund_currency?.platform?.title),
    address: s(r.address),
    memo: s(r.memo),
    balance_debit_amount: s(r.balance_debit_amount),
    balance_debit_currency: currencyOf(r.balance_debit_currency)?.symbol ?? null,
    fees: Object.fromEntries(Object.entries(r.fees && typeof r.fees === "object" ? r.fees : {}).map(([k, v]) => [k, money(v)])),
    transactions: txs(r.transactions),
    ledger_account_id: s(r.ledger_account?.id),
    rejection_type: s(r.rejection_type),
    rejection_reason: s(r.rejection_reason ?? r.compliance_rejection_reason),
    created_at: s(r.created_at),
    updated_at: s(r.updated_at),
  }
}

export function sendRequestSnapshot(r: CoinGateSendRequest): Record<string, unknown> {
  const setting = r.beneficiary_payout_setting
  return {
    id: r.id,
    status: s(r.status),
    external_id: s(r.external_id),
    purpose: s(r.purpose),
    input_amount: s(r.input_amount),
    input_currency: currencyOf(r.input_currency)?.symbol ?? null,
    sending_amount: s(r.sending_amount),
    sending_currency: currencyOf(r.sending_currency)?.symbol ?? null,
    input_to_sending_rate: s(r.input_to_sending_rate),
    sending_to_balance_debit_rate: s(r.sending_to_balance_debit_rate),
    balance_debit_amount: s(r.balance_debit_amount),
    balance_debit_currency: currencyOf(r.balance_debit_currency)?.symbol ?? null,
    ledger_account_id: s(r.ledger_account?.id),
    beneficiary_payout_setting: setting
      ? {
          id: setting.id ?? null,
          beneficiary_id: setting.beneficiary_id ?? null,
          crypto_address: s(setting.crypto_address),
          crypto_address_metadata: s(setting.crypto_address_metadata),
          currency: currencyOf(setting.currency)?.symbol ?? null,
          network: s(setting.platform?.title),
        }
      : null,
    fees: Object.fromEntries(Object.entries(r.fees && typeof r.fees === "object" ? r.fees : {}).map(([k, v]) => [k, money(v)])),
    blockchain_transactions: txs(r.blockchain_transactions),
    actions_required: r.actions_required && typeof r.actions_required === "object" ? { confirm: !!r.actions_required.confirm, cancel: !!r.actions_required.cancel } : null,
    requires_2fa_confirmation: bool(r.requires_2fa_confirmation),
    created_at: s(r.created_at),
  }
}
