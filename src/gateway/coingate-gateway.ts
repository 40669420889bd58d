import type { BigNumberInput, Logger } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { parseCallbackBody } from "../coingate/callback-body"
import { callbackTokenFor, deriveCallbackKey, isValidCallbackToken } from "../coingate/callback-token"
import { CoinGateBudgetError, CoinGateClient, CoinGateResponseError } from "../coingate/client"
import { withRequestClass } from "../coingate/request-budget"
import { isValidReturnToken, returnTokenFor } from "../coingate/return-token"
import { RecentOrders } from "../coingate/recent-orders"
import type { CoinGateOrder } from "../coingate/types"
import { LIVE_API_ORIGIN, SANDBOX_API_ORIGIN, type ResolvedOptions } from "../shared/options"
import type { CoinGateSessionData } from "../payments/rules/session-data"
import { isCoinGateStatus, withoutSecrets } from "../coingate/types"
import { ReadWindow, timedRead } from "../payments/rules/snapshot-order"
import type { OrderText } from "../payments/rules/order-text"
import { CoinGateRefunds } from "./provider-refunds"
import { reportInvoiceAttempt, type InvoiceAttempt } from "./new-invoices"
import { VerifiedCallbacks, type Verifier } from "./verified-callbacks"
import { buildOrderRequest, pickStorefrontData, storefrontUrl, type StorefrontData } from "./session-input"

/**
 * What a failed `POST /v2/orders` proves: the budget kept it from being sent, or CoinGate answered
 * a 4xx (a 429 included) with its error body, so no invoice was made; anything else (a 5xx, a
 * timeout, a reset, an unreadable answer) may have made one. `pausedMs`: the pause a 429 started.
 */
export function invoiceAttemptOf(e: any, pausedMs: number): InvoiceAttempt {
  if (e instanceof CoinGateBudgetError) return { outcome: "not_made", retryAfterMs: e.retryAfterMs }
  if (e instanceof CoinGateResponseError) return { outcome: "unknown" }
  const status = typeof e?.status === "number" ? e.status : undefined
  if (status === 429) return { outcome: "not_made", retryAfterMs: Math.max(pausedMs, 1000) }
  if (status !== undefined && status >= 400 && status < 500) return { outcome: "not_made" }
  return { outcome: "unknown" }
}

/** Path of the plugin's callback route, under the backend URL. */
export const CALLBACK_PATH = "/hooks/coingate"

export type VerifiedCallback =
  /** `read`: when the order was read from CoinGate's API (it orders the order against the record's). */
  | { ok: true; sessionId: string; order: CoinGateOrder; read: ReadWindow }
  | { ok: false; reason: string; transient?: boolean }

export type ConnectionTest = { ok: boolean; sandbox: boolean; apiOrigin: string; error?: string }

export type GatewayConfig = {
  options: ResolvedOptions
  /** The provider's options as the store configured them (read for the reconciliation budget). */
  rawOptions: Record<string, unknown>
  logger: Logger
  /** The store's `http.storeCors`: where return URLs may point when no successUrl/cancelUrl is configured. */
  storeCors?: string
}

/**
 * Everything the plugin does with CoinGate for one configured provider: the API client, the
 * callback key, verifying callbacks, reading and creating orders, the URLs it hands out, and
 * refunds. The payment provider owns one (`provider.gateway`) and uses it for Medusa's provider
 * contract; the plugin's routes, job and workflows reach it through `coingateGateway(container, id)`
 * (src/gateway/index.ts), so no code outside this folder touches the provider's internals.
 */
export class CoinGateGateway {
  /** The HTTP client of CoinGate's API. Tests may replace it with one pointed elsewhere. */
  client: CoinGateClient
  /** Refunds and payouts through CoinGate (docs/refunds.md). */
  readonly refunds: CoinGateRefunds
  readonly rawOptions: Readonly<Record<string, unknown>>
  private readonly options: ResolvedOptions
  private readonly callbackKey: Buffer
  private readonly storeCors?: string
  /** Orders just read from CoinGate and being applied (one read per callback). */
  private readonly recentOrders = new RecentOrders()
  private readonly webhookVerifications = new VerifiedCallbacks<VerifiedCallback>()

  constructor(config: GatewayConfig) {
    this.options = config.options
    this.rawOptions = config.rawOptions
    this.storeCors = config.storeCors
    this.callbackKey = deriveCallbackKey(config.options)
    this.client = new CoinGateClient({
      apiOrigin: config.options.apiOrigin,
      apiToken: config.options.apiToken,
      timeoutMs: config.options.requestTimeoutMs,
    })
    this.refunds = new CoinGateRefunds({ client: () => this.client, key: this.callbackKey, options: config.options, logger: config.logger })
  }

  /** The URL CoinGate posts order callbacks to. */
  get callbackUrl(): string {
    return `${this.options.backendUrl}${CALLBACK_PATH}`
  }

  /** The `storeName` option: the shop's name on invoices, when the store configured one. */
  get storeName(): string | undefined {
    return this.options.storeName
  }

  /** The `callbackLogDays` option: how long the callback log keeps a callback (src/callback-log/prune.ts). */
  get callbackLogDays(): number {
    return this.options.callbackLogDays
  }

  get isSandbox(): boolean {
    return this.options.sandbox
  }

  /** The API's origin (CoinGate's, its sandbox's, or a simulator's). */
  get apiOrigin(): string {
    return this.options.apiOrigin
  }

  /**
   * Where the admin opens the order: CoinGate's merchant dashboard (live or sandbox) when the API is
   * CoinGate's; against any other API (the simulator) that order's own invoice page, which is the only
   * view of it there. Null when there is nothing to link to.
   */
  dashboardUrl(coingateOrderId: number | string, paymentUrl?: string | null): string | null {
    if (this.options.apiOrigin === LIVE_API_ORIGIN) return `https://coingate.com/account/orders/${coingateOrderId}`
    if (this.options.apiOrigin === SANDBOX_API_ORIGIN) return `https://sandbox.coingate.com/account/orders/${coingateOrderId}`
    return paymentUrl && /^https?:\/\//.test(paymentUrl) ? paymentUrl : null
  }

  /** The storefront fields of session data, checked (return URLs on allowed origins only). */
  storefrontData(data: Record<string, unknown> | undefined): StorefrontData {
    return pickStorefrontData(data, this.options, this.storeCors)
  }

  /**
   * Where the plugin's return route sends the shopper after CoinGate: the storefront's
   * URL from the session data when it is on an allowed origin, else the configured one, with
   * `{cart_id}` and `{session_id}` filled in. Null when neither is set.
   */
  storefrontReturnUrl(
    outcome: "success" | "cancel",
    sessionData: Pick<CoinGateSessionData, "success_url" | "cancel_url"> | undefined,
    ids: { sessionId: string; cartId: string | null }
  ): string | null {
    return storefrontUrl(this.options, outcome, sessionData, ids, this.storeCors)
  }

  /**
   * Creates the CoinGate order (invoice) of a payment session, with its callback token. The request
   * counts as `checkout` in the request budget (anyone can start a checkout), and what became of it
   * is reported to the session route's limit of new invoices per cart (src/gateway/new-invoices.ts).
   */
  async createOrder(sessionId: string, amount: BigNumberInput, currencyCode: string, storefront: StorefrontData, text?: OrderText): Promise<CoinGateOrder> {
    const token = callbackTokenFor(this.callbackKey, sessionId)
    const returnToken = returnTokenFor(this.callbackKey, sessionId)
    const request = buildOrderRequest(this.options, { sessionId, amount, currencyCode, storefront, callbackUrl: this.callbackUrl, token, returnToken, text })
    try {
      const order = await withRequestClass("checkout", () => this.client.createOrder(request))
      reportInvoiceAttempt({ outcome: "made" })
      return order
    } catch (e: any) {
      reportInvoiceAttempt(invoiceAttemptOf(e, this.client.budget.pausedFor(Date.now())))
      // CoinGate's validation messages are safe to show; the request (with its token) is not.
      const type = e?.status === 422 ? MedusaError.Types.INVALID_DATA : MedusaError.Types.UNEXPECTED_STATE
      throw new MedusaError(type, `CoinGate could not create the invoice: ${e?.message ?? e}`)
    }
  }

  /**
   * `verifyCallback` for a callback that came through Medusa's `/hooks/payment` route, which two
   * subscribers verify: one CoinGate read for both (src/gateway/verified-callbacks.ts).
   */
  verifyWebhookCallback(body: unknown, verifier: Verifier): Promise<VerifiedCallback> {
    const parsed = parseCallbackBody(body)
    if (!parsed.ok) return this.verifyCallback(body)
    const { coingateOrderId, sessionId, token } = parsed.value
    const posted = (body as Record<string, unknown>).status
    const key = JSON.stringify([coingateOrderId, sessionId, token, typeof posted === "string" ? posted : null])
    return this.webhookVerifications.run(key, verifier, () => this.verifyCallback(body), (v) => v.ok || !v.transient)
  }

  /**
   * Verifies an order callback: the token must be the one derived for the session it
   * names, and the order, re-read from CoinGate's API by its id, must name that session.
   * The posted status and amounts are ignored: callers act on the order read back.
   */
  async verifyCallback(body: unknown): Promise<VerifiedCallback> {
    const parsed = parseCallbackBody(body)
    if (!parsed.ok) {
      return { ok: false, reason: parsed.reason }
    }
    const { coingateOrderId, sessionId, token } = parsed.value
    if (!this.isCallbackTokenFor(sessionId, token)) {
      return { ok: false, reason: "token does not match the session" }
    }
    let order: CoinGateOrder
    let read: ReadWindow
    try {
      ;({ order, read } = await timedRead(() => this.client.getOrder(coingateOrderId)))
    } catch (e: any) {
      if (e?.isNotFound) {
        return { ok: false, reason: `CoinGate has no order ${coingateOrderId}` }
      }
      return { ok: false, reason: e?.message ?? String(e), transient: e?.transient !== false }
    }
    if (String(order.order_id ?? "") !== sessionId) {
      return { ok: false, reason: `CoinGate order ${coingateOrderId} belongs to another session` }
    }
    if (!isCoinGateStatus(order.status)) {
      return { ok: false, reason: `CoinGate order ${coingateOrderId} has an unknown status` }
    }
    return { ok: true, sessionId, order: withoutSecrets(order), read }
  }

  /** Whether `token` is the callback token this provider gave CoinGate for `sessionId` (constant time). */
  isCallbackTokenFor(sessionId: string, token: unknown): boolean {
    return isValidCallbackToken(this.callbackKey, sessionId, token)
  }

  /**
   * Whether `token` is the return token in the return URLs this provider gave CoinGate for `sessionId`
   * (constant time): only the shopper's browser, sent back by CoinGate, has it (src/coingate/return-token.ts).
   */
  isReturnTokenFor(sessionId: string, token: unknown): boolean {
    return isValidReturnToken(this.callbackKey, sessionId, token)
  }

  /** Reads a CoinGate order by its id (without the callback token). */
  async readOrder(coingateOrderId: number | string): Promise<CoinGateOrder> {
    return withoutSecrets(await this.client.getOrder(coingateOrderId))
  }

  /**
   * The order of a session: the one just verified and being applied when there is one (so
   * Medusa's authorization during the cart's completion does not read it again), else read now.
   */
  async readOrderOfSession(session: CoinGateSessionData, { fresh = false } = {}): Promise<CoinGateOrder> {
    if (!session.coingate_order_id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate: this payment session has no CoinGate order.")
    }
    return (!fresh && this.recentOrders.get(session.coingate_order_id)) || this.client.getOrder(session.coingate_order_id)
  }

  /**
   * The order the plugin just read from CoinGate's API and is applying (src/workflows/steps): Medusa's
   * authorization during the cart's completion, seconds later, uses it instead of reading it again.
   */
  rememberVerifiedOrder(order: CoinGateOrder, readAt?: Date | string | null): void {
    const at = readAt ? new Date(readAt).getTime() : undefined
    this.recentOrders.remember(order, Number.isFinite(at) ? at : undefined)
  }

  /** Drops the order remembered for `coingateOrderId`: Medusa's authorization will read it from CoinGate. */
  forgetRememberedOrder(coingateOrderId: number | string): void {
    this.recentOrders.forget(coingateOrderId)
  }

  /** `GET /v2/auth/test`: whether CoinGate accepts the configured token. */
  async testConnection(): Promise<ConnectionTest> {
    const base = { sandbox: this.options.sandbox, apiOrigin: this.options.apiOrigin }
    try {
      const ok = await this.client.testAuth()
      return { ...base, ok, ...(ok ? {} : { error: "CoinGate rejected the API token (401). Check the token and the sandbox setting." }) }
    } catch (e: any) {
      return { ...base, ok: false, error: e?.message ?? String(e) }
    }
  }
}
