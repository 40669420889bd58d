import type { Logger, RefundPaymentInput, RefundPaymentOutput } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { toPriceAmount } from "../shared/amounts"
import type { ResolvedOptions } from "../shared/options"
import { isValidRefundToken, refundTokenFor } from "../coingate/callback-token"
import type { CoinGateClient } from "../coingate/client"
import { compareDecimal } from "../coingate/decimal"
import type { CoinGateLedgerAccount, CoinGateRefund, CoinGateSendRequest } from "../coingate/refund-types"
import { sessionDataFor } from "../payments/session-data"
import { answerExchangeIfAsked, type CallDeps, requestPayout, requestRefund } from "./coingate-requests"
import type { CoinGateRefundEntry, CoinGateRefundRequest } from "./request"
import { normalizeRefundCurrencies, type RefundCoin } from "./form-options"

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
        pending.result = await this.send(request, refundId)
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
    return this.send(request, medusaRefundId)
  }

  /** Answers a currency exchange CoinGate asks to confirm (see coingate-requests.ts). */
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

  private send(request: CoinGateRefundRequest, refundId: string): Promise<CoinGateRefundEntry> {
    return request.method === "payout" ? requestPayout(this.callDeps, request, refundId) : requestRefund(this.callDeps, request, refundId)
  }
}
