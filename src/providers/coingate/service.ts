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
import { CoinGateOptions, resolveOptions } from "../../shared/options"
import { resolveRequestsPerMinute } from "../../coingate/request-budget"
import { checkOrderMatchesSessionData } from "../../payments/rules/order-checks"
import { withoutSecrets } from "../../coingate/types"
import { publicSessionData, sessionDataFor } from "../../payments/rules/session-data"
import { toSessionStatus, toWebhookAction } from "../../payments/rules/status-policy"
import { currentOrderText } from "../../payments/rules/order-text"
import { CoinGateGateway } from "../../gateway/coingate-gateway"
import { storeCorsOf } from "../../gateway/session-input"
import { assertSupportedMedusa } from "../../shared/medusa-version"

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
  /** CoinGate for this provider's options: client, callback key, orders, URLs, refunds (src/gateway/). */
  readonly gateway: CoinGateGateway

  static validateOptions(options: Record<string, unknown>): void {
    // An unsupported Medusa (below the floor in src/shared/medusa-version.ts) stops boot here, not at a callback.
    assertSupportedMedusa()
    resolveOptions(options)
    // Reconciliation's request budget (src/coingate/request-budget.ts): refused at boot when out of range.
    resolveRequestsPerMinute(options, {})
  }

  constructor(cradle: { logger: Logger } & Record<string, unknown>, options: CoinGateOptions) {
    super(cradle, options)
    assertSupportedMedusa()
    this.logger_ = cradle.logger
    const raw = options as unknown as Record<string, unknown>
    this.gateway = new CoinGateGateway({ options: resolveOptions(raw), rawOptions: raw, logger: cradle.logger, storeCors: storeCorsOf(cradle) })
  }

  async initiatePayment({ amount, currency_code, data }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = data?.session_id
    if (typeof sessionId !== "string" || !sessionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate: the payment session id is missing.")
    }
    const storefront = this.gateway.storefrontData(data)
    // The invoice's title and description: the cart's, set by the plugin's middleware for this request.
    const order = await this.gateway.createOrder(sessionId, amount, currency_code, storefront, currentOrderText())
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
    const order = await this.gateway.readOrderOfSession(session)
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
   * Medusa 2.21 never calls this with a new price (no core flow or API route updates a session's amount);
   * the plugin's own writes of `coingate_status` (src/payments/apply-plan.ts) pass through it with the
   * session's own amount. It keeps the session data public (no token) and asks nothing of CoinGate.
   */
  async updatePayment({ data }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    return { data: sessionDataFor(data, publicSessionData(data)) }
  }

  /** The CoinGate order as CoinGate has it now (without the callback token). */
  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const order = await this.gateway.readOrderOfSession(publicSessionData(data), { fresh: true })
    return { data: withoutSecrets(order) as Record<string, unknown> }
  }

  /**
   * A refund from the admin's CoinGate refund form goes to CoinGate (a refund, or a payout); any other
   * refund Medusa makes (order canceled after payment, checkout rolled back, Medusa's Refund button) is
   * recorded in the payment data as one the merchant still has to make. Never throws for those.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    return this.gateway.refunds.refundPayment(input)
  }

  /**
   * For stores whose callbacks reach Medusa's own `/hooks/payment/coingate_<id>` route.
   * Verifies the callback like the plugin's route does; Medusa acts on `captured` only,
   * the plugin's subscriber on the rest.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const verified = await this.gateway.verifyWebhookCallback(payload.data, "provider")
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
}

export default CoinGateProviderService
