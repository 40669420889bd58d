/** CoinGate order statuses (API v2). */
export type CoinGateStatus =
  | "new"
  | "pending"
  | "confirming"
  | "paid"
  | "invalid"
  | "expired"
  | "canceled"
  | "refunded"
  | "partially_refunded"

export const COINGATE_STATUSES: readonly CoinGateStatus[] = [
  "new",
  "pending",
  "confirming",
  "paid",
  "invalid",
  "expired",
  "canceled",
  "refunded",
  "partially_refunded",
]

export function isCoinGateStatus(value: unknown): value is CoinGateStatus {
  return typeof value === "string" && (COINGATE_STATUSES as readonly string[]).includes(value)
}

export type CoinGateBlockchainTransaction = {
  id?: number
  txid?: string
  amount?: string
  status?: string
  network_confirmations?: number
  currency?: { id?: number; title?: string; symbol?: string; platform?: { id?: number; title?: string } }
}

/**
 * A CoinGate order as the API returns it (`GET /v2/orders/:id`). Money values are
 * decimal strings. Only the fields the plugin reads are typed; the rest pass through.
 */
export type CoinGateOrder = {
  id: number
  status: CoinGateStatus
  order_id?: string | null
  price_amount: string
  price_currency: string
  receive_currency?: string | null
  receive_amount?: string | null
  pay_amount?: string | null
  pay_currency?: string | null
  underpaid_amount?: string | null
  overpaid_amount?: string | null
  is_refundable?: boolean
  payment_url?: string
  payment_address?: string | null
  created_at?: string
  expire_at?: string | null
  paid_at?: string | null
  token?: string
  fees?: Array<{ type?: string; amount?: string; currency?: { id?: number; symbol?: string } }>
  blockchain_transactions?: CoinGateBlockchainTransaction[]
  [field: string]: unknown
}

export type CreateOrderRequest = {
  order_id: string
  price_amount: string
  price_currency: string
  receive_currency?: string
  title: string
  description: string
  callback_url: string
  success_url?: string
  cancel_url?: string
  token: string
  purchaser_email?: string
  shopper?: { email?: string }
}

export type ListOrdersQuery = {
  page?: number
  per_page?: number
  sort?: "created_at_asc" | "created_at_desc"
  status?: CoinGateStatus
  "created_at[from]"?: string
  "created_at[to]"?: string
}

export type OrderList = {
  current_page: number
  per_page: number
  total_orders: number
  total_pages: number
  orders: CoinGateOrder[]
}

/** The order as the plugin keeps and shows it: CoinGate's fields without the callback token. */
export function withoutSecrets(order: CoinGateOrder): CoinGateOrder {
  const { token: _token, ...rest } = order
  return rest as CoinGateOrder
}
