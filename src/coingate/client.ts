import axios, { AxiosInstance, AxiosRequestConfig } from "axios"
import type { CoinGateOrder, CreateOrderRequest, ListOrdersQuery, OrderList } from "./types"
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
  RefundList,
  SendRequestList,
} from "./refund-types"

import { beneficiaryProblem, ledgerAccountsProblem, listProblem, orderListProblem, orderProblem, payoutSettingProblem, refundProblem, sendRequestProblem } from "./responses"
import { formBody, FORM_CONTENT_TYPE } from "./form-body"
import { BudgetRefusal, currentRequestClass, RequestClass, SharedRequestBudget } from "./request-budget"
import { parseRetryAfter } from "./retry-after"
import { PLUGIN_VERSION } from "./version"
import { CoinGateApiError, CoinGateBudgetError, CoinGateResponseError, toApiError } from "./errors"

// The errors live in errors.ts; importers keep taking them from the client.
export { CoinGateApiError, CoinGateBudgetError, CoinGateResponseError }


/** Passes an answer on only when `problem` finds nothing wrong with it. */
const checked =
  <T>(what: string, problem: (value: unknown) => string | null) =>
  (value: T): T => {
    const found = problem(value)
    if (found) throw new CoinGateResponseError(what, found)
    return value
  }

export type CoinGateClientConfig = {
  apiOrigin: string
  apiToken: string
  timeoutMs: number
  /** Retries of safe (read) requests on transient errors. Default 2. */
  readRetries?: number
  /** Base of the exponential backoff between retries, in ms. Default 250. */
  backoffMs?: number
  /** The API app's request budget in this process; default: one of the client's own. */
  budget?: SharedRequestBudget
}


/** Wait before retrying a 429 that carries no Retry-After (CoinGate documents none). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1000
/** Longest a request waits for CoinGate's Retry-After; past it, the caller's own retry takes over. */
const MAX_RATE_LIMIT_WAIT_MS = 5000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A small typed client of CoinGate's REST API v2: just the calls the plugin makes.
 * Reads are retried with jittered exponential backoff on transient failures (a 429 after
 * CoinGate's Retry-After); order creation is never retried here (a retry could create a
 * second invoice). Every request counts against the API app's budget, by the class the
 * caller tagged it with (`withRequestClass`).
 */
export class CoinGateClient {
  private readonly http: AxiosInstance
  private readonly readRetries: number
  private readonly backoffMs: number
  /** Every request of this client counts here (src/coingate/request-budget.ts). */
  readonly budget: SharedRequestBudget

  constructor(config: CoinGateClientConfig) {
    this.readRetries = config.readRetries ?? 2
    this.backoffMs = config.backoffMs ?? 250
    this.budget = config.budget ?? new SharedRequestBudget()
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
    return this.send<CoinGateOrder>({ method: "POST", url: "/orders", data: body }, { retry: false }).then(
      checked("POST /orders", (o) => orderProblem(o, { orderId: body.order_id }))
    )
  }

  getOrder(id: number | string): Promise<CoinGateOrder> {
    return this.send<CoinGateOrder>({ method: "GET", url: `/orders/${encodeURIComponent(String(id))}` }).then(
      checked(`GET /orders/${id}`, (o) => orderProblem(o, { id }))
    )
  }

  listOrders(query: ListOrdersQuery = {}): Promise<OrderList> {
    return this.send<OrderList>({ method: "GET", url: "/orders", params: query }).then(checked("GET /orders", orderListProblem))
  }

  // Refunds, ledger and payouts (docs/refunds.md). Creations and confirmations are never retried here.

  createRefund(coingateOrderId: number | string, body: CreateRefundRequest): Promise<CoinGateRefund> {
    return this.send<CoinGateRefund>({ method: "POST", url: `/orders/${encodeURIComponent(String(coingateOrderId))}/refunds`, data: body }, { retry: false }).then(
      checked(`POST /orders/${coingateOrderId}/refunds`, (r) => refundProblem(r))
    )
  }

  getRefund(coingateOrderId: number | string, refundId: number | string): Promise<CoinGateRefund> {
    return this.send<CoinGateRefund>({
      method: "GET",
      url: `/orders/${encodeURIComponent(String(coingateOrderId))}/refunds/${encodeURIComponent(String(refundId))}`,
    }).then(checked(`GET /orders/${coingateOrderId}/refunds/${refundId}`, (r) => refundProblem(r, refundId)))
  }

  /** `GET /v2/refunds/supported-currencies` (the shape is not documented: an array, or an object holding one). */
  refundCurrencies(): Promise<unknown> {
    return this.send<unknown>({ method: "GET", url: "/refunds/supported-currencies" })
  }

  currencies(query: Record<string, string> = {}): Promise<CoinGateCurrency[]> {
    return this.send<CoinGateCurrency[]>({ method: "GET", url: "/currencies", params: query })
  }

  ledgerAccounts(query: { page?: number; per_page?: number } = {}): Promise<LedgerAccountList> {
    return this.send<LedgerAccountList>({ method: "GET", url: "/ledger/accounts", params: { per_page: 100, ...query } }).then(
      checked("GET /ledger/accounts", ledgerAccountsProblem)
    )
  }

  /** `GET /v2/orders/:id/refunds`: one page of an order's refunds. */
  listOrderRefunds(coingateOrderId: number | string, query: { page?: number; per_page?: number } = {}): Promise<RefundList> {
    return this.send<RefundList>({ method: "GET", url: `/orders/${encodeURIComponent(String(coingateOrderId))}/refunds`, params: query }).then(
      checked(`GET /orders/${coingateOrderId}/refunds`, (l) => listProblem(l, "refunds", refundProblem))
    )
  }

  /** `GET /v2/send_requests`: one page of the account's send requests. */
  listSendRequests(query: { page?: number; per_page?: number } = {}): Promise<SendRequestList> {
    return this.send<SendRequestList>({ method: "GET", url: "/send_requests", params: query }).then(
      checked("GET /send_requests", (l) => listProblem(l, "send_requests", sendRequestProblem))
    )
  }

  // The payout path posts form-encoded bodies: reference/v2.json declares create-beneficiary,
  // create-beneficiary-payout-setting and create-send as application/x-www-form-urlencoded.

  createBeneficiary(body: CreateBeneficiaryRequest): Promise<CoinGateBeneficiary> {
    return this.send<CoinGateBeneficiary>(formPost("/beneficiaries", body), { retry: false }).then(checked("POST /beneficiaries", beneficiaryProblem))
  }

  createPayoutSetting(body: CreatePayoutSettingRequest): Promise<CoinGatePayoutSetting> {
    return this.send<CoinGatePayoutSetting>(formPost("/beneficiary_payout_settings", body), { retry: false }).then(
      checked("POST /beneficiary_payout_settings", (s) => payoutSettingProblem(s, { beneficiaryId: body.beneficiary_id }))
    )
  }

  createSendRequest(body: CreateSendRequestRequest): Promise<CoinGateSendRequest> {
    return this.send<CoinGateSendRequest>(formPost("/send_requests", body), { retry: false }).then(
      checked("POST /send_requests", (r) => sendRequestProblem(r, undefined, { externalId: body.external_id }))
    )
  }

  getSendRequest(id: number | string): Promise<CoinGateSendRequest> {
    return this.send<CoinGateSendRequest>({ method: "GET", url: `/send_requests/${encodeURIComponent(String(id))}` }).then(
      checked(`GET /send_requests/${id}`, (r) => sendRequestProblem(r, id))
    )
  }

  /** Confirms (`confirm`) or cancels (`cancel`) the currency exchange a send request waits for. */
  answerSendRequestExchange(id: number | string, answer: "confirm" | "cancel"): Promise<CoinGateSendRequest> {
    return this.send<CoinGateSendRequest>({ method: "PATCH", url: `/send_requests/${encodeURIComponent(String(id))}/${answer}` }, { retry: false }).then(
      checked(`PATCH /send_requests/${id}/${answer}`, (r) => sendRequestProblem(r, id))
    )
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
    const cls = currentRequestClass()
    await this.admit(cls, request)
    for (let attempt = 1; ; attempt++) {
      // The first attempt was admitted; retries of an admitted request are only counted.
      if (attempt > 1) this.budget.charge(cls, Date.now())
      try {
        const response = await this.http.request<T>(request)
        return response.data
      } catch (e) {
        const error = toApiError(e, request)
        const retryAfter = error.status === 429 ? this.rateLimited(e) : 0
        if (!error.transient || attempt >= attempts || retryAfter > MAX_RATE_LIMIT_WAIT_MS) {
          error.attempts = attempt
          throw error
        }
        const backoff = this.backoffMs * 2 ** (attempt - 1)
        await sleep(Math.max(retryAfter, backoff / 2 + Math.random() * backoff))
      }
    }
  }

  /**
   * Spends the request's first attempt from the budget, after waiting out a short pause
   * CoinGate asked for; throws CoinGateBudgetError when its class may not send now.
   */
  private async admit(cls: RequestClass, request: AxiosRequestConfig) {
    const paused = this.budget.pausedFor(Date.now())
    // A few ms more: a timer may fire a little early, and the pause must be over.
    if (paused > 0 && paused <= MAX_RATE_LIMIT_WAIT_MS) await sleep(paused + 5)
    const refusal = this.budget.take(cls, Date.now())
    if (refusal) throw new CoinGateBudgetError(`CoinGate ${request.method} ${request.url}`, cls, refusal)
  }

  /** A 429 means the whole API app is over its limit: the budget pauses for CoinGate's Retry-After (ms returned). */
  private rateLimited(e: unknown): number {
    const header = axios.isAxiosError(e) ? e.response?.headers?.["retry-after"] : undefined
    const wait = parseRetryAfter(header, Date.now()) ?? DEFAULT_RATE_LIMIT_WAIT_MS
    this.budget.pause(Date.now(), wait)
    return wait
  }
}

function formPost(url: string, body: object): AxiosRequestConfig {
  return { method: "POST", url, data: formBody(body as Record<string, unknown>), headers: { "Content-Type": FORM_CONTENT_TYPE } }
}
