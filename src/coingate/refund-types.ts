/**
 * CoinGate's refund, ledger and payout (send request) shapes (API v2, reference §5 and §6). Money values
 * are decimal strings. Only the fields the plugin reads are typed; the rest pass through.
 */

export type CoinGateRefundStatus = "pending" | "processing" | "completed" | "rejected"

export const COINGATE_REFUND_STATUSES: readonly CoinGateRefundStatus[] = ["pending", "processing", "completed", "rejected"]

export type CoinGateSendRequestStatus = "draft" | "in_progress" | "processing" | "completed" | "failed" | "expired" | "canceled"

export const COINGATE_SEND_REQUEST_STATUSES: readonly CoinGateSendRequestStatus[] = [
  "draft",
  "in_progress",
  "processing",
  "completed",
  "failed",
  "expired",
  "canceled",
]

export type CurrencyRef = { id?: number; title?: string; kind?: string; symbol?: string; platform?: { id?: number; title?: string } }

/** `POST /v2/orders/{id}/refunds` parameters (§5.2). */
export type CreateRefundRequest = {
  amount: string
  address: string
  address_memo?: string
  currency_id: number
  platform_id: number
  reason: string
  email: string
  ledger_account_id: string
  callback_url?: string
}

/** A refund as `GET /v2/orders/{order_id}/refunds/{id}` returns it (§5.3). */
export type CoinGateRefund = {
  id: number
  status: CoinGateRefundStatus | string
  request_amount?: string
  refund_amount?: string | null
  address?: string
  memo?: string | null
  created_at?: string
  updated_at?: string
  balance_debit_amount?: string | null
  callback_url?: string | null
  order?: { id?: number; title?: string; price_amount?: string; price_currency?: CurrencyRef }
  refund_currency?: CurrencyRef
  balance_debit_currency?: CurrencyRef
  fees?: Record<string, { amount?: string; currency?: CurrencyRef }>
  transactions?: Array<{ txid?: string; amount?: string; status?: string; network_confirmations?: number }>
  ledger_account?: { id?: string; currency?: CurrencyRef }
  rejection_type?: string | null
  rejection_reason?: string | null
  /** In refund callbacks (§5.5) instead of `rejection_reason`. */
  compliance_rejection_reason?: string | null
  [field: string]: unknown
}

export type CoinGateLedgerAccount = {
  id: string
  balance?: string
  status?: string
  account_type?: string
  title?: string
  currency?: CurrencyRef & { enabled?: boolean }
}

export type LedgerAccountList = {
  current_page?: number
  per_page?: number
  total_accounts?: number
  total_pages?: number
  accounts: CoinGateLedgerAccount[]
}

/** A coin and the networks it can be sent on (`/v2/refunds/supported-currencies`, `/v2/currencies`). */
export type CoinGateCurrency = {
  id: number
  title?: string
  symbol: string
  kind?: string
  platforms?: Array<{ id: number; title?: string; id_name?: string; enabled?: boolean }>
  [field: string]: unknown
}

export type CreateBeneficiaryRequest = {
  beneficiary_type: "person" | "business"
  email: string
  country: string
  first_name?: string
  last_name?: string
  company_name?: string
  currency_id: number
  platform_id: number
  crypto_address: string
  crypto_address_metadata?: string
}

export type CoinGatePayoutSetting = {
  id: number
  beneficiary_id?: number
  platform?: { id?: number; title?: string; id_name?: string }
  crypto_address?: string
  crypto_address_metadata?: string | null
  currency?: CurrencyRef
}

export type CoinGateBeneficiary = {
  id: number
  beneficiary_payout_settings?: CoinGatePayoutSetting[]
  [field: string]: unknown
}

export type CreatePayoutSettingRequest = {
  beneficiary_id: number
  currency_id: number
  platform_id: number
  crypto_address: string
  crypto_address_metadata?: string
}

export type CreateSendRequestRequest = {
  ledger_account_id: string
  beneficiary_payout_setting_id: number
  amount: string
  amount_currency_id: number
  purpose: string
  callback_url?: string
  external_id?: string
}

/** A send request, as the API returns it and as its callback posts it (the seed document's fields). */
export type CoinGateSendRequest = {
  id: number
  status: CoinGateSendRequestStatus | string
  purpose?: string
  callback_url?: string | null
  created_at?: string
  external_id?: string | null
  ledger_account?: { id?: string; balance?: string; status?: string; currency?: CurrencyRef }
  input_amount?: string
  input_currency?: CurrencyRef
  sending_amount?: string
  sending_currency?: CurrencyRef
  input_to_sending_rate?: string
  sending_to_balance_debit_rate?: string
  balance_debit_amount?: string
  balance_debit_currency?: CurrencyRef
  beneficiary_payout_setting?: CoinGatePayoutSetting
  fees?: Record<string, { amount?: string; currency?: CurrencyRef }>
  blockchain_transactions?: Array<{ txid?: string; amount?: string; status?: string; network_confirmations?: number }>
  actions_required?: { confirm?: string; cancel?: string } | null
  requires_2fa_confirmation?: boolean | string
  [field: string]: unknown
}

/** `GET /v2/orders/:id/refunds` (a page). */
export type RefundList = { current_page?: number; per_page?: number; total_refunds?: number; total_pages: number; refunds: CoinGateRefund[] }

/** `GET /v2/send_requests` (a page). */
export type SendRequestList = { current_page?: number; per_page?: number; total_records?: number; total_pages: number; send_requests: CoinGateSendRequest[] }
