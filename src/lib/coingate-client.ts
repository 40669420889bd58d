import axios, { AxiosError, AxiosInstance, AxiosRequestConfig } from "axios"
import type { CoinGateOrder, CreateOrderRequest, ListOrdersQuery, OrderList } from "./coingate-types"
import type {
  CoinGateBeneficiary,
  CoinGateCurrency,
  CoinGatePayoutSetting,
  CoinGateRefund,
  CoinGateSendRequest,
  CreateBeneficiaryRequest,
  CreatePayoutSettingRequest,
  CreateRefundRequest,
  CreateSendRequestRequest,
  LedgerAccountList,
} from "./refund-types"

import { PLUGIN_VERSION } from "./version"

/**
 * An error answered by CoinGate (or the network on the way to it). `status` is the
 * HTTP status (undefined for network errors and timeouts); `reason` is CoinGate's
 * machine-readable reason (`OrderNotFound`, `OrderIsNotValid`, `BadAuthToken`, ...).
 * The message never contains the API token.
 */
export class CoinGateApiError extends Error {
  readonly status?: number
  readonly reason?: string
  readonly errors?: string[]
  /** True when the same request may succeed later: network errors, timeouts, 5xx and 429. */
  readonly transient: boolean

  constructor(message: string, opts: { status?: number; reason?: string; errors?: string[]; transient: boolean }) {
    super(message)
    this.name = "CoinGateApiError"
    this.status = opts.status
    this.reason = opts.reason
    this.errors = opts.errors
    this.transient = opts.transient
  }

  get isNotFound(): boolean {
    return this.status === 404
  }
}

export type CoinGateClientConfig = {
  apiOrigin: string
  apiToken: string
  timeoutMs: number
  /** Retries of safe (read) requests on transient errors. Default 2. */
  readRetries?: number
  /** Base of the exponential backoff between retries, in ms. Default 250. */
  backoffMs?: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A small typed client of CoinGate's REST API v2: just the calls the plugin makes.
 * Reads are retried with jittered exponential backoff on transient failures;
 * order creation is never retried here (a retry could create a second invoice).
 */
export class CoinGateClient {
  private readonly http: AxiosInstance
  private readonly readRetries: number
  private readonly backoffMs: number

  constructor(config: CoinGateClientConfig) {
    this.readRetries = config.readRetries ?? 2
    this.backoffMs = config.backoffMs ?? 250
    this.http = axios.create({
      baseURL: `${config.apiOrigin}/v2`,
      timeout: config.timeoutMs,
      headers: {
        Authorization: `Token ${config.apiToken}`,
        "User-Agent": `CoinGate/v2 (Medusa plugin medusa-payment-coingate v${PLUGIN_VERSION})`,
        Accept: "application/json",
      },
      // Never follow redirects with the token attached to another host.
      maxRedirects: 0,
      // Keep bodies bounded: an order is a few KB.
      maxContentLength: 5 * 1024 * 1024,
    })
  }

  createOrder(body: CreateOrderRequest): Promise<CoinGateOrder> {
    return this.send<CoinGateOrder>({ method: "POST", url: "/orders", data: body }, { retry: false })
  }

  getOrder(id: number | string): Promise<CoinGateOrder> {
    return this.send<CoinGateOrder>({ method: "GET", url: `/orders/${encodeURIComponent(String(id))}` })
  }

  listOrders(query: ListOrdersQuery = {}): Promise<OrderList> {
    return this.send<OrderList>({ method: "GET", url: "/orders", params: query })
  }

  // Refunds, ledger and payouts (docs/refunds.md). Creations and confirmations are never retried here.

  createRefund(coingateOrderId: number | string, body: CreateRefundRequest): Promise<CoinGateRefund> {
    return this.send<CoinGateRefund>({ method: "POST", url: `/orders/${encodeURIComponent(String(coingateOrderId))}/refunds`, data: body }, { retry: false })
  }

  getRefund(coingateOrderId: number | string, refundId: number | string): Promise<CoinGateRefund> {
    return this.send<CoinGateRefund>({
      method: "GET",
      url: `/orders/${encodeURIComponent(String(coingateOrderId))}/refunds/${encodeURIComponent(String(refundId))}`,
    })
  }

  /** `GET /v2/refunds/supported-currencies` (the shape is not documented: an array, or an object holding one). */
  refundCurrencies(): Promise<unknown> {
    return this.send<unknown>({ method: "GET", url: "/refunds/supported-currencies" })
  }

  currencies(query: Record<string, string> = {}): Promise<CoinGateCurrency[]> {
    return this.send<CoinGateCurrency[]>({ method: "GET", url: "/currencies", params: query })
  }

  ledgerAccounts(query: { page?: number; per_page?: number } = {}): Promise<LedgerAccountList> {
    return this.send<LedgerAccountList>({ method: "GET", url: "/ledger/accounts", params: { per_page: 100, ...query } })
  }

  createBeneficiary(body: CreateBeneficiaryRequest): Promise<CoinGateBeneficiary> {
    return this.send<CoinGateBeneficiary>({ method: "POST", url: "/beneficiaries", data: body }, { retry: false })
  }

  createPayoutSetting(body: CreatePayoutSettingRequest): Promise<CoinGatePayoutSetting> {
    return this.send<CoinGatePayoutSetting>({ method: "POST", url: "/beneficiary_payout_settings", data: body }, { retry: false })
  }

  createSendRequest(body: CreateSendRequestRequest): Promise<CoinGateSendRequest> {
    return this.send<CoinGateSendRequest>({ method: "POST", url: "/send_requests", data: body }, { retry: false })
  }

  getSendRequest(id: number | string): Promise<CoinGateSendRequest> {
    return this.send<CoinGateSendRequest>({ method: "GET", url: `/send_requests/${encodeURIComponent(String(id))}` })
  }

  /** Confirms (`confirm`) or cancels (`cancel`) the currency exchange a send request waits for. */
  answerSendRequestExchange(id: number | string, answer: "confirm" | "cancel"): Promise<CoinGateSendRequest> {
    return this.send<CoinGateSendRequest>({ method: "PATCH", url: `/send_requests/${encodeURIComponent(String(id))}/${answer}` }, { retry: false })
  }

  /** `GET /v2/auth/test`: true when CoinGate accepts the token, false on 401. */
  async testAuth(): Promise<boolean> {
    try {
      await this.send({ method: "GET", url: "/auth/test", responseType: "text" })
      return true
    } catch (e) {
      if (e instanceof CoinGateApiError && e.status === 401) {
        return false
      }
      throw e
    }
  }

  private async send<T>(request: AxiosRequestConfig, { retry = true } = {}): Promise<T> {
    const attempts = retry ? this.readRetries + 1 : 1
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.http.request<T>(request)
        return response.data
      } catch (e) {
        const error = toApiError(e, request)
        if (!error.transient || attempt >= attempts) {
          throw error
        }
        const retryAfter = error.status === 429 ? 1000 : 0
        const backoff = this.backoffMs * 2 ** (attempt - 1)
        await sleep(Math.max(retryAfter, backoff / 2 + Math.random() * backoff))
      }
    }
  }
}

function toApiError(e: unknown, request: AxiosRequestConfig): CoinGateApiError {
  const what = `CoinGate ${request.method} ${request.url}`
  if (!axios.isAxiosError(e)) {
    return new CoinGateApiError(`${what} failed: ${(e as Error)?.message ?? e}`, { transient: true })
  }
  const err = e as AxiosError<{ message?: string; reason?: string; errors?: unknown }>
  const status = err.response?.status
  if (!status) {
    // Timeouts, refused or dropped connections. Axios messages carry no headers, so no token.
    return new CoinGateApiError(`${what} failed: ${err.code ?? err.message}`, { transient: true })
  }
  const body = typeof err.response?.data === "object" && err.response?.data ? err.response.data : {}
  const errors = Array.isArray(body.errors) ? body.errors.map(String) : typeof body.errors === "string" ? [body.errors] : undefined
  const detail = [body.message, errors?.join("; ")].filter(Boolean).join(": ")
  return new CoinGateApiError(`${what} answered ${status}${body.reason ? ` ${body.reason}` : ""}${detail ? ` (${detail})` : ""}`, {
    status,
    reason: body.reason,
    errors,
    transient: status >= 500 || status === 429,
  })
}
