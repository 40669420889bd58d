import type { Logger, RefundPaymentInput, RefundPaymentOutput } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { ResolvedOptions } from "../shared/options"
import { isValidRefundToken, refundTokenFor } from "../coingate/callback-token"
import type { CoinGateClient } from "../coingate/client"
import type { CoinGateLedgerAccount, CoinGateRefund, CoinGateSendRequest } from "../coingate/refund-types"
import { sessionDataFor } from "../payments/rules/session-data"
import { answerExchangeIfAsked, type CallDeps, requestPayout, requestRefund, type RequestFor } from "./refund-requests"
import type { CoinGateRefundEntry, CoinGateRefundRequest } from "../refunds/rules/request"
import { normalizeRefundCurrencies, type RefundCoin } from "../refunds/rules/form-options"

/** Paths of the refund and payout callback routes, under the backend URL; the token follows. */
export const REFUND_CALLBACK_PATH = "/hooks/coingate/refunds"
export const SEND_REQUEST_CALLBACK_PATH = "/hooks/coingate/send-requests"

type Deps = {
  client: () => CoinGateClient
  key: Buffer
  options: ResolvedOptions
  logger: Logger
}

/**
 * The provider's refunds and payouts (docs/refunds.md). Money moves only through `send`, which only the
 * admin route calls (after admin authentication, inside the payment's lock, for an intent it recorded).
 * Medusa calls `refundPayment` for every refund of a CoinGate payment, the admin route's own included;
 * it never sends anything to CoinGate and never throws (issue 22, finding 4: no refund Medusa makes can
 * take an admin intent, because no intent is ever handed to `refundPayment`).
 */
export class CoinGateRefunds {
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

  /** The URL CoinGate posts a refund's or payout's callbacks to; `reference` is the intent id (the Medusa refund id for older records). */
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

  /** One page (100) of an order's refunds, to find one whose answer was lost (src/refunds/resolve.ts). */
  listOrderRefunds(coingateOrderId: number | string, page: number) {
    return this.client.listOrderRefunds(coingateOrderId, { page, per_page: 100 })
  }

  /** One page (100) of the account's send requests, to find one by external_id (src/refunds/resolve.ts). */
  listSendRequests(page: number) {
    return this.client.listSendRequests({ page, per_page: 100 })
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
   * Medusa calls this for every refund of a CoinGate payment. It sends nothing to CoinGate, whoever
   * called it: the admin route has already asked CoinGate (and records the refund here so that the
   * order's totals are right); any other refund (an order canceled after payment, a checkout rolled back,
   * Medusa's own Refund button) is one the merchant still has to make, listed from Medusa's own refund
   * rows. The payment data is never read for instructions, and only its public fields are returned.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    // Only public fields go back; any other key is erased (Medusa merges what is returned into payment.data).
    const data = sessionDataFor(input.data)
    this.deps.logger.info(
      `CoinGate: Medusa recorded refund ${String(input.context?.idempotency_key ?? "?")} of CoinGate order ${data.coingate_order_id ?? "?"}; nothing is sent from here ` +
        "(a refund made with the CoinGate refund form was already made; any other is listed on the order as one to make)."
    )
    return { data }
  }

  /**
   * Asks CoinGate for the refund or payout of an admin intent: the callback token and the send request's
   * external_id are derived from the intent's own id. Only the admin route calls this (start.ts).
   */
  send(request: CoinGateRefundRequest, to: RequestFor): Promise<CoinGateRefundEntry> {
    return request.method === "payout" ? requestPayout(this.callDeps, request, to) : requestRefund(this.callDeps, request, to)
  }

  /** Answers a currency exchange CoinGate asks to confirm (see refund-requests.ts). */
  answerExchangeIfAsked(request: CoinGateSendRequest) {
    return answerExchangeIfAsked(this.callDeps, request)
  }

  private get callDeps(): CallDeps {
    return {
      client: this.client,
      logger: this.deps.logger,
      callbackUrl: (kind, reference) => this.callbackUrl(kind, reference),
      autoConfirmPayoutExchange: this.autoConfirmPayoutExchange,
    }
  }
}
