import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { AbstractPaymentProvider, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { toPriceAmount } from "../../shared/amounts"
import { parseCallbackBody } from "../../coingate/callback-body"
import { callbackTokenFor, deriveCallbackKey, isValidCallbackToken } from "../../coingate/callback-token"
import { CoinGateClient } from "../../coingate/client"
import type { CoinGateOrder } from "../../coingate/types"
import { CoinGateOptions, ResolvedOptions, resolveOptions } from "../../shared/options"
import { resolveRequestsPerMinute } from "../../coingate/request-budget"
import { checkOrderMatchesSessionData, withoutSecrets } from "../../payments/order-checks"
import { CoinGateSessionData, publicSessionData, sessionDataFor } from "../../payments/session-data"
import { isCoinGateStatus, toSessionStatus, toWebhookAction } from "../../payments/status-policy"
import { buildOrderRequest, pickStorefrontData, storeCorsOf, storefrontUrl } from "./session-input"
import { RecentOrders } from "../../coingate/recent-orders"
import { CoinGateRefunds } from "../../refunds/provider-refunds"

/** Path of the plugin's callback route, under the backend URL. */
export const CALLBACK_PATH = "/hooks/coingate"

export type VerifiedCallback =
  | { ok: true; sessionId: string; order: CoinGateOrder }
  | { ok: false; reason: string; transient?: boolean }

/**
 * CoinGate payment provider.
 *
 * A payment session is a CoinGate order (an invoice): the shopper pays it on CoinGate's
 * hosted page (`payment_url`), and CoinGate reports status changes by callback. CoinGate
 * settles on `paid`, so authorization and capture happen together; there is no remote
 * capture, cancel or void. Whatever says a payment changed (callback, the shopper's
 * return, reconciliation, an admin refresh), the truth is always re-read from CoinGate's
 * API: nothing posted to the backend is trusted.
 */
export class CoinGateProviderService extends AbstractPaymentProvider<CoinGateOptions> {
  static identifier = "coingate"

  protected readonly logger_: Logger
  protected readonly options_: ResolvedOptions
  protected readonly callbackKey_: Buffer
  /** The store's `http.storeCors`: where storefront return URLs may point when no successUrl/cancelUrl is configured. */
  protected readonly storeCors_?: string
  /** The HTTP client of CoinGate's API. Tests may replace it with a fake. */
  client_: CoinGateClient
  /** Orders just read from CoinGate and being applied (one read per callback). */
  protected readonly recentOrders_ = new RecentOrders()
  /** Refunds and payouts through CoinGate (docs/refunds.md). */
  readonly refunds: CoinGateRefunds

  static validateOptions(options: Record<string, unknown>): void {
    resolveOptions(options)
    // Reconciliation's request budget (src/coingate/request-budget.ts): refused at boot when out of range.
    resolveRequestsPerMinute(options, {})
  }

  constructor(cradle: { logger: Logger } & Record<string, unknown>, options: CoinGateOptions) {
    super(cradle, options)
    this.logger_ = cradle.logger
    this.options_ = resolveOptions(options as unknown as Record<string, unknown>)
    this.callbackKey_ = deriveCallbackKey(this.options_)
    this.storeCors_ = storeCorsOf(cradle)
    this.client_ = new CoinGateClient({
      apiOrigin: this.options_.apiOrigin,
      apiToken: this.options_.apiToken,
      timeoutMs: this.options_.requestTimeoutMs,
    })
    this.refunds = new CoinGateRefunds({ client: () => this.client_, key: this.callbackKey_, options: this.options_, logger: this.logger_ })
  }

  /** The URL CoinGate posts order callbacks to. */
  get callbackUrl(): string {
    return `${this.options_.backendUrl}${CALLBACK_PATH}`
  }

  get isSandbox(): boolean {
    return this.options_.sandbox
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
    return storefrontUrl(this.options_, outcome, sessionData, ids, this.storeCors_)
  }

  /** Link to the order in CoinGate's merchant dashboard. */
  dashboardUrl(coingateOrderId: number | string): string {
    const host = this.options_.sandbox ? "https://sandbox.coingate.com" : "https://coingate.com"
    return `${host}/account/orders/${coingateOrderId}`
  }

  async initiatePayment({ amount, currency_code, data }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = data?.session_id
    if (typeof sessionId !== "string" || !sessionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate: the payment session id is missing.")
    }
    const storefront = pickStorefrontData(data, this.options_, this.storeCors_)
    const order = await this.createOrder_(sessionId, amount, currency_code, storefront)
    // Medusa stores `{ ...data, ...this }`: every key of `data` not set here is returned undefined, so absent.
    const sessionData = sessionDataFor(data, {
      ...storefront,
      session_id: sessionId,
      payment_url: order.payment_url,
      coingate_order_id: order.id,
      coingate_status: order.status,
      price_amount: toPriceAmount(amount, currency_code),
      price_currency: currency_code.toUpperCase(),
    })
    return { id: String(order.id), status: PaymentSessionStatus.PENDING, data: sessionData }
  }

  /**
   * Called when the cart is completed (the shopper's return) and by Medusa's payment
   * workflows: re-reads the order and maps its status. `paid` returns `captured`, which
   * makes Medusa record the capture without calling `capturePayment`.
   */
  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return this.getPaymentStatus(input)
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const session = publicSessionData(data)
    const order = await this.readOrderOfSession_(session)
    const mismatch = checkOrderMatchesSessionData(order, session)
    if (mismatch) {
      this.logger_.warn(
        `CoinGate order ${order.id} does not match payment session ${session.session_id} (${mismatch}): ` +
          `it asks ${order.price_amount} ${order.price_currency}, the session ${session.price_amount} ${session.price_currency}`
      )
      return { status: PaymentSessionStatus.ERROR, data: sessionDataFor(data, session) }
    }
    return {
      status: toSessionStatus(order.status, { orderFirst: session.flow === "order_first" }),
      data: sessionDataFor(data, { ...session, coingate_status: order.status }),
    }
  }

  /** CoinGate settles on `paid`: nothing to capture remotely. Idempotent. */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    return { data: sessionDataFor(data) }
  }

  /** CoinGate has no cancel endpoint: an unpaid invoice expires on its own. Local only. */
  async cancelPayment({ data }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    return { data: sessionDataFor(data) }
  }

  /**
   * Called when a session is replaced (new session, cart total changed). The invoice
   * cannot be canceled at CoinGate; if it is paid anyway, the callback finds no session
   * and the payment is recorded for the admin instead of being lost.
   */
  async deletePayment({ data }: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return { data: sessionDataFor(data) }
  }

  /**
   * Medusa 2.21 never calls this; the plugin uses it to store what it learned from
   * CoinGate in the session. A changed amount or currency needs a new invoice, since a
   * CoinGate order's price cannot change.
   */
  async updatePayment({ data, amount, currency_code }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const session = publicSessionData(data)
    const samePrice =
      !amount ||
      !currency_code ||
      (session.price_currency === currency_code.toUpperCase() && session.price_amount === toPriceAmount(amount, currency_code))
    if (samePrice || !session.session_id) {
      return { data: sessionDataFor(data, session) }
    }
    const order = await this.createOrder_(session.session_id, amount, currency_code, pickStorefrontData(session, this.options_, this.storeCors_))
    return {
      status: PaymentSessionStatus.PENDING,
      data: sessionDataFor(data, {
        ...session,
        payment_url: order.payment_url,
        coingate_order_id: order.id,
        coingate_status: order.status,
        price_amount: toPriceAmount(amount, currency_code),
        price_currency: currency_code.toUpperCase(),
      }),
    }
  }

  /** The CoinGate order as CoinGate has it now (without the callback token). */
  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const order = await this.readOrderOfSession_(publicSessionData(data), { fresh: true })
    return { data: withoutSecrets(order) as Record<string, unknown> }
  }

  /**
   * A refund from the admin's CoinGate refund form goes to CoinGate (a refund, or a payout); any other
   * refund Medusa makes (order canceled after payment, checkout rolled back, Medusa's Refund button) is
   * recorded in the payment data as one the merchant still has to make. Never throws for those.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    return this.refunds.refundPayment(input)
  }

  /**
   * For stores whose callbacks reach Medusa's own `/hooks/payment/coingate_<id>` route.
   * Verifies the callback like the plugin's route does; Medusa acts on `captured` only,
   * the plugin's subscriber on the rest.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const verified = await this.verifyCallback(payload.data)
    if (!verified.ok) {
      if (verified.transient) {
        throw new Error(`CoinGate callback could not be verified now: ${verified.reason}`)
      }
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    return {
      action: toWebhookAction(verified.order.status),
      data: { session_id: verified.sessionId, amount: verified.order.price_amount },
    }
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
    try {
      order = await this.client_.getOrder(coingateOrderId)
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
    return { ok: true, sessionId, order: withoutSecrets(order) }
  }

  /** Whether `token` is the callback token this provider gave CoinGate for `sessionId` (constant time). */
  isCallbackTokenFor(sessionId: string, token: unknown): boolean {
    return isValidCallbackToken(this.callbackKey_, sessionId, token)
  }

  /** Reads a CoinGate order by its id (without the callback token). */
  async readOrder(coingateOrderId: number | string): Promise<CoinGateOrder> {
    return withoutSecrets(await this.client_.getOrder(coingateOrderId))
  }

  /** `GET /v2/auth/test`: whether CoinGate accepts the configured token. */
  async testConnection(): Promise<{ ok: boolean; sandbox: boolean; apiOrigin: string; error?: string }> {
    const base = { sandbox: this.options_.sandbox, apiOrigin: this.options_.apiOrigin }
    try {
      const ok = await this.client_.testAuth()
      return { ...base, ok, ...(ok ? {} : { error: "CoinGate rejected the API token (401). Check the token and the sandbox setting." }) }
    } catch (e: any) {
      return { ...base, ok: false, error: e?.message ?? String(e) }
    }
  }

  /**
   * The order the plugin just read from CoinGate's API and is applying (src/workflows/steps): Medusa's
   * authorization during the cart's completion, seconds later, uses it instead of reading it again.
   */
  rememberVerifiedOrder(order: CoinGateOrder, readAt?: Date | string | null): void {
    const at = readAt ? new Date(readAt).getTime() : undefined
    this.recentOrders_.remember(order, Number.isFinite(at) ? at : undefined)
  }

  protected async readOrderOfSession_(session: CoinGateSessionData, { fresh = false } = {}): Promise<CoinGateOrder> {
    if (!session.coingate_order_id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate: this payment session has no CoinGate order.")
    }
    return (!fresh && this.recentOrders_.get(session.coingate_order_id)) || this.client_.getOrder(session.coingate_order_id)
  }

  protected async createOrder_(
    sessionId: string,
    amount: InitiatePaymentInput["amount"],
    currencyCode: string,
    storefront: ReturnType<typeof pickStorefrontData>
  ): Promise<CoinGateOrder> {
    const token = callbackTokenFor(this.callbackKey_, sessionId)
    const request = buildOrderRequest(this.options_, { sessionId, amount, currencyCode, storefront, callbackUrl: this.callbackUrl, token })
    try {
      return await this.client_.createOrder(request)
    } catch (e: any) {
      // CoinGate's validation messages are safe to show; the request (with its token) is not.
      const type = e?.status === 422 ? MedusaError.Types.INVALID_DATA : MedusaError.Types.UNEXPECTED_STATE
      throw new MedusaError(type, `CoinGate could not create the invoice: ${e?.message ?? e}`)
    }
  }
}

export default CoinGateProviderService
