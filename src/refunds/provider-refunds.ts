import type { Logger, RefundPaymentInput, RefundPaymentOutput } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { toPriceAmount } from "../shared/amounts"
import { isValidRefundToken, refundTokenFor } from "../coingate/callback-token"
import type { CoinGateClient } from "../coingate/client"
import type { ResolvedOptions } from "../shared/options"
import type { CoinGateLedgerAccount, CoinGateRefund, CoinGatePayoutSetting, CoinGateSendRequest } from "../coingate/refund-types"
import { sessionDataFor } from "../payments/session-data"
import { compareDecimal } from "../coingate/decimal";
import { CoinGateRefundEntry, CoinGateRefundRequest } from "./request";
import { EXCHANGE_CANCELED_NOTE, exchangeDecision } from "./status";
import { normalizeRefundCurrencies, RefundCoin } from "./form-options";
import { refundSnapshot, sendRequestSnapshot } from "./snapshots";

/** Paths of the refund and payout callback routes, under the backend URL; the token follows. */
export const REFUND_CALLBACK_PATH = "/hooks/coingate/refunds"
export const SEND_REQUEST_CALLBACK_PATH = "/hooks/coingate/send-requests"

/** An admin intent waiting for Medusa's `refundPayment` (see `expectAdminRefund`). */
export type ExpectedRefund = {
  request: CoinGateRefundRequest
  taken: boolean
  medusaRefundId?: string
  /** What CoinGate answered, once `refundPayment` asked it; or the error it raised. */
  result?: CoinGateRefundEntry
  error?: unknown
  release: () => void
}

/** Whether Medusa's refund amount (a BigNumber, its raw object, a number) is exactly the intent's. */
function sameAmount(amount: unknown, request: CoinGateRefundRequest): boolean {
  try {
    return compareDecimal(toPriceAmount(amount as any, request.currency_code), request.amount) === 0
  } catch {
    return false
  }
}

type Deps = {
  client: () => CoinGateClient
  key: Buffer
  options: ResolvedOptions
  logger: Logger
}

const MAX_EXTERNAL_ID = 50

/**
 * The provider's refunds and payouts (docs/refunds.md). Medusa calls `refundPayment` for every refund of a
 * CoinGate payment; only a refund an admin intent waits for (the plugin's admin route, `expectAdminRefund`)
 * goes to CoinGate. Any other refund (an order canceled after payment, a checkout rolled back, Medusa's own
 * Refund button) sends nothing and never throws: Medusa would drop the refund row, or only log the error.
 */
export class CoinGateRefunds {
  /** Admin intents waiting for `refundPayment`, by CoinGate order id: in process, written only by server code. */
  private readonly expected = new Map<string, ExpectedRefund>()

  constructor(private readonly deps: Deps) {}

  private get client() {
    return this.deps.client()
  }

  get autoConfirmPayoutExchange(): boolean {
    return this.deps.options.autoConfirmPayoutExchange
  }

  get configuredLedgerAccountId(): string | undefined {
    return this.deps.options.ledgerAccountId
  }

  /** The URL CoinGate posts a refund's or payout's callbacks to; `reference` is the Medusa refund id. */
  callbackUrl(kind: "refund" | "send_request", reference: string): string {
    const path = kind === "refund" ? REFUND_CALLBACK_PATH : SEND_REQUEST_CALLBACK_PATH
    return `${this.deps.options.backendUrl}${path}/${refundTokenFor(this.deps.key, kind, reference)}`
  }

  /** Whether `token` (from a callback URL) is the one this provider derived for `reference` (constant time). */
  isTokenFor(kind: "refund" | "send_request", reference: string, token: unknown): boolean {
    return isValidRefundToken(this.deps.key, kind, reference, token)
  }

  readRefund(coingateOrderId: number | string, refundId: number | string): Promise<CoinGateRefund> {
    return this.client.getRefund(coingateOrderId, refundId)
  }

  readSendRequest(id: number | string): Promise<CoinGateSendRequest> {
    return this.client.getSendRequest(id)
  }

  /** Confirms or cancels a send request's currency exchange. */
  answerExchange(id: number | string, answer: "confirm" | "cancel"): Promise<CoinGateSendRequest> {
    return this.client.answerSendRequestExchange(id, answer)
  }

  async ledgerAccounts(): Promise<CoinGateLedgerAccount[]> {
    const list = await this.client.ledgerAccounts()
    return Array.isArray(list?.accounts) ? list.accounts : []
  }

  /** Coins and networks a refund can be sent in: CoinGate's refund list, else its crypto currencies. */
  async refundCoins(): Promise<RefundCoin[]> {
    try {
      const coins = normalizeRefundCurrencies(await this.client.refundCurrencies())
      if (coins.length) return coins
    } catch (e: any) {
      if (e?.transient) throw e
    }
    return normalizeRefundCurrencies(await this.client.currencies({ kind: "crypto" }))
  }

  /** CoinGate's id of a currency (e.g. EUR), for a payout's `amount_currency_id`. */
  async currencyIdOf(symbol: string): Promise<number | null> {
    const list = await this.client.currencies()
    const found = (Array.isArray(list) ? list : []).find((c) => String(c?.symbol ?? "").toUpperCase() === symbol.toUpperCase())
    return typeof found?.id === "number" ? found.id : null
  }

  /**
   * Makes `refundPayment` send `request` to CoinGate for the next refund of its CoinGate order and amount.
   * Only server code reaches this (the admin refund route, after admin authentication and inside the
   * payment's lock); nothing a storefront or shopper sends can. Release the handle when the refund
   * workflow is over, whatever happened: an intent is good for one refund at the most.
   */
  expectAdminRefund(request: CoinGateRefundRequest): ExpectedRefund {
    const key = String(request.coingate_order_id)
    if (this.expected.has(key)) {
      throw new MedusaError(MedusaError.Types.CONFLICT, `A refund of CoinGate order ${key} is already being made; try again in a moment.`)
    }
    const handle: ExpectedRefund = { request, taken: false, release: () => this.expected.get(key) === handle && this.expected.delete(key) }
    this.expected.set(key, handle)
    return handle
  }

  /**
   * Medusa calls this for every refund of a CoinGate payment. Only the refund an admin intent is waiting
   * for (`expectAdminRefund`: same CoinGate order, same amount) is asked of CoinGate; its refusal throws,
   * so Medusa drops its refund row. Any other refund (an order canceled after payment, a checkout rolled
   * back, Medusa's own Refund button) sends nothing: it is one the merchant still has to make, listed from
   * Medusa's own refund rows. The payment data is never read for instructions, and only its public fields
   * are returned.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    // Only public fields go back; any other key is erased (Medusa merges what is returned into payment.data).
    const data = sessionDataFor(input.data)
    const refundId = String(input.context?.idempotency_key ?? "")
    const pending = this.expected.get(String(data.coingate_order_id ?? ""))
    if (pending && !pending.taken && refundId && sameAmount(input.amount, pending.request)) {
      pending.taken = true
      pending.medusaRefundId = refundId
      const request = pending.request
      try {
        pending.result = request.method === "payout" ? await this.payout(request, refundId) : await this.refund(request, refundId)
      } catch (e) {
        // Kept as thrown: Medusa's workflow passes on only the message.
        pending.error = e
        throw e
      }
      return { data }
    }
    this.deps.logger.warn(
      `CoinGate: Medusa refunded CoinGate order ${data.coingate_order_id ?? "?"} (refund ${refundId || "?"}) without the CoinGate refund form; ` +
        "nothing was sent through CoinGate. Refund the shopper in the CoinGate dashboard or with \"Pay through CoinGate\" on the order."
    )
    return { data }
  }

  /**
   * Pays, through CoinGate, a refund Medusa already recorded on its own (a manual refund): the same
   * CoinGate calls as a form refund, tied to that Medusa refund id. The caller updates the payment data.
   */
  settleManualRefund(request: CoinGateRefundRequest, medusaRefundId: string): Promise<CoinGateRefundEntry> {
    return request.method === "payout" ? this.payout(request, medusaRefundId) : this.refund(request, medusaRefundId)
  }

  /**
   * CoinGate's refusal as an error for the admin. `unanswered` says CoinGate gave no answer (timeout,
   * network): the refund may have been made, so the intent is not retried blindly.
   */
  private fail(what: string, e: any): never {
    const detail = e?.errors?.length ? e.errors.join("; ") : e?.message ?? String(e)
    const answered = typeof e?.status === "number"
    const error =
      e?.status === 422 || e?.status === 404 || e?.status === 400
        ? new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate refused the ${what}: ${detail}`)
        : answered
          ? new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `CoinGate could not be reached to make the ${what} (${e?.message ?? e}); nothing was refunded. Try again.`)
          : new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `CoinGate did not answer the ${what} request (${e?.message ?? e}); check CoinGate's dashboard before trying again.`)
    Object.assign(error, { unanswered: !answered, transient: e?.transient === true })
    throw error
  }

  private baseEntry(request: CoinGateRefundRequest, refundId: string) {
    return {
      request_id: request.id,
      medusa_refund_id: refundId,
      coingate_order_id: String(request.coingate_order_id),
      amount: request.amount,
      currency_code: request.currency_code.toUpperCase(),
      address: request.address,
      address_memo: request.address_memo ?? null,
      currency_id: request.currency_id,
      platform_id: request.platform_id,
      email: request.email,
      reason: request.reason,
      ledger_account_id: request.ledger_account_id,
      requested_at: request.requested_at,
      created_at: new Date().toISOString(),
    }
  }

  private async refund(request: CoinGateRefundRequest, refundId: string): Promise<CoinGateRefundEntry> {
    let refund: CoinGateRefund
    try {
      refund = await this.client.createRefund(request.coingate_order_id, {
        amount: request.amount,
        address: request.address,
        ...(request.address_memo ? { address_memo: request.address_memo } : {}),
        currency_id: request.currency_id,
        platform_id: request.platform_id,
        reason: request.reason,
        email: request.email,
        ledger_account_id: request.ledger_account_id,
        callback_url: this.callbackUrl("refund", refundId),
      })
    } catch (e) {
      this.fail("refund", e)
    }
    this.deps.logger.info(`CoinGate refund ${refund.id} of order ${request.coingate_order_id} requested for Medusa refund ${refundId} (${request.amount} ${request.currency_code}).`)
    return {
      ...this.baseEntry(request, refundId),
      kind: "refund",
      coingate_id: String(refund.id),
      coin: refund.refund_currency?.symbol ?? null,
      network: refund.refund_currency?.platform?.title ?? null,
      status: String(refund.status ?? "pending"),
      snapshot: refundSnapshot(refund),
    }
  }

  private async payout(request: CoinGateRefundRequest, refundId: string): Promise<CoinGateRefundEntry> {
    if (!request.beneficiary || !request.amount_currency_id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate payout: the beneficiary or the amount currency is missing.")
    }
    const externalId = refundId.length <= MAX_EXTERNAL_ID ? refundId : refundId.slice(-MAX_EXTERNAL_ID)
    let setting: CoinGatePayoutSetting | undefined
    let beneficiaryId: number
    try {
      const beneficiary = await this.client.createBeneficiary({
        beneficiary_type: "person",
        email: request.email,
        country: request.beneficiary.country,
        first_name: request.beneficiary.first_name,
        last_name: request.beneficiary.last_name,
        currency_id: request.currency_id,
        platform_id: request.platform_id,
        crypto_address: request.address,
        ...(request.address_memo ? { crypto_address_metadata: request.address_memo } : {}),
      })
      beneficiaryId = beneficiary.id
      setting = (beneficiary.beneficiary_payout_settings ?? []).find(
        (p) => p?.crypto_address === request.address && (p.currency?.id === undefined || p.currency.id === request.currency_id)
      )
      if (!setting) {
        setting = await this.client.createPayoutSetting({
          beneficiary_id: beneficiary.id,
          currency_id: request.currency_id,
          platform_id: request.platform_id,
          crypto_address: request.address,
          ...(request.address_memo ? { crypto_address_metadata: request.address_memo } : {}),
        })
      }
    } catch (e) {
      this.fail("payout beneficiary", e)
    }
    let sendRequest: CoinGateSendRequest
    try {
      sendRequest = await this.client.createSendRequest({
        ledger_account_id: request.ledger_account_id,
        beneficiary_payout_setting_id: setting!.id,
        amount: request.amount,
        amount_currency_id: request.amount_currency_id,
        purpose: `Refund ${request.amount} ${request.currency_code.toUpperCase()} (CoinGate order ${request.coingate_order_id}): ${request.reason}`.slice(0, 255),
        callback_url: this.callbackUrl("send_request", refundId),
        external_id: externalId,
      })
    } catch (e) {
      this.fail("payout", e)
    }
    this.deps.logger.info(`CoinGate send request ${sendRequest.id} (${sendRequest.status}) created for Medusa refund ${refundId}.`)
    const { request: answered, exchange } = await this.answerExchangeIfAsked(sendRequest)
    return {
      ...this.baseEntry(request, refundId),
      kind: "payout",
      coingate_id: String(answered.id),
      coin: answered.sending_currency?.symbol ?? setting!.currency?.symbol ?? null,
      network: answered.beneficiary_payout_setting?.platform?.title ?? setting!.platform?.title ?? null,
      status: String(answered.status),
      beneficiary_id: String(beneficiaryId!),
      beneficiary_payout_setting_id: String(setting!.id),
      exchange,
      snapshot: sendRequestSnapshot(answered),
    }
  }

  /**
   * Answers a currency exchange CoinGate asks to confirm within a minute: confirmed when
   * `autoConfirmPayoutExchange` is on, otherwise canceled (and why is recorded). A failed answer is
   * recorded too; the callback route tries again.
   */
  async answerExchangeIfAsked(
    request: CoinGateSendRequest
  ): Promise<{ request: CoinGateSendRequest; exchange: CoinGateRefundEntry["exchange"] }> {
    const decision = exchangeDecision(request, this.autoConfirmPayoutExchange)
    if (!decision) return { request, exchange: null }
    const at = new Date().toISOString()
    try {
      const answered = await this.answerExchange(request.id, decision)
      const after = answered && typeof answered === "object" && answered.id ? answered : request
      if (decision === "confirm") {
        return { request: after, exchange: { decision: "confirmed", at, note: "The currency exchange was confirmed automatically (autoConfirmPayoutExchange)." } }
      }
      this.deps.logger.warn(`CoinGate send request ${request.id}: exchange canceled (autoConfirmPayoutExchange is off).`)
      return { request: after, exchange: { decision: "canceled", at, note: EXCHANGE_CANCELED_NOTE } }
    } catch (e: any) {
      this.deps.logger.warn(`CoinGate send request ${request.id}: could not ${decision} the exchange: ${e?.message ?? e}`)
      return { request, exchange: { decision: "failed", at, note: `Could not ${decision} the exchange: ${e?.message ?? e}` } }
    }
  }
}
