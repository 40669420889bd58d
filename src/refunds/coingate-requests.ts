import type { Logger } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { CoinGateBudgetError, type CoinGateClient } from "../coingate/client"
import type { CoinGateRefund, CoinGatePayoutSetting, CoinGateSendRequest } from "../coingate/refund-types"
import type { CoinGateRefundEntry, CoinGateRefundRequest } from "./request"
import { EXCHANGE_CANCELED_NOTE, exchangeDecision } from "./status"
import { refundSnapshot, sendRequestSnapshot } from "./snapshots"
import { beneficiaryBody } from "./beneficiary"

/**
 * The CoinGate requests that move money for an admin's refund intent: a refund from the order, or a
 * payout (beneficiary, payout setting, send request, the exchange answer). Only `CoinGateRefunds`
 * (provider-refunds.ts) calls these, for an intent it was told to expect.
 */

export type CallDeps = {
  client: CoinGateClient
  logger: Logger
  /** The tokenized callback URL of a refund or send request made for Medusa refund `reference`. */
  callbackUrl: (kind: "refund" | "send_request", reference: string) => string
  autoConfirmPayoutExchange: boolean
}

/**
 * CoinGate refused, failed or did not answer a refund or payout. `unanswered`: no answer came (timeout,
 * network), so the refund may have been made and the intent is not retried blindly; `transient`: the
 * same request may succeed later (the admin API answers 503).
 */
export class CoinGateRefundError extends MedusaError {
  readonly unanswered: boolean
  readonly transient: boolean

  constructor(type: string, message: string, flags: { unanswered: boolean; transient: boolean }) {
    super(type, message)
    this.unanswered = flags.unanswered
    this.transient = flags.transient
  }
}

const MAX_EXTERNAL_ID = 50

/**
 * CoinGate's refusal as an error for the admin. `unanswered` says CoinGate gave no answer (timeout,
 * network): the refund may have been made, so the intent is not retried blindly.
 */
function fail(what: string, e: any): never {
  const detail = e?.errors?.length ? e.errors.join("; ") : e?.message ?? String(e)
  if (e instanceof CoinGateBudgetError) {
    // Refused by the plugin's own request budget: it never left the process.
    throw new CoinGateRefundError(MedusaError.Types.UNEXPECTED_STATE, `The ${what} was not sent to CoinGate (${e.message}); nothing was refunded. Try again.`, { unanswered: false, transient: true })
  }
  const answered = typeof e?.status === "number"
  const flags = { unanswered: !answered, transient: e?.transient === true }
  if (e?.status === 422 || e?.status === 404 || e?.status === 400) {
    throw new CoinGateRefundError(MedusaError.Types.INVALID_DATA, `CoinGate refused the ${what}: ${detail}`, flags)
  }
  throw answered
    ? new CoinGateRefundError(MedusaError.Types.UNEXPECTED_STATE, `CoinGate could not be reached to make the ${what} (${e?.message ?? e}); nothing was refunded. Try again.`, flags)
    : new CoinGateRefundError(MedusaError.Types.UNEXPECTED_STATE, `CoinGate did not answer the ${what} request (${e?.message ?? e}); check CoinGate's dashboard before trying again.`, flags)
}

function baseEntry(request: CoinGateRefundRequest, refundId: string) {
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

/** Asks CoinGate to refund `request` from its order (`POST /v2/orders/:id/refunds`), for Medusa refund `refundId`. */
export async function requestRefund(deps: CallDeps, request: CoinGateRefundRequest, refundId: string): Promise<CoinGateRefundEntry> {
  let refund: CoinGateRefund
  try {
    refund = await deps.client.createRefund(request.coingate_order_id, {
      amount: request.amount,
      address: request.address,
      ...(request.address_memo ? { address_memo: request.address_memo } : {}),
      currency_id: request.currency_id,
      platform_id: request.platform_id,
      reason: request.reason,
      email: request.email,
      ledger_account_id: request.ledger_account_id,
      callback_url: deps.callbackUrl("refund", refundId),
    })
  } catch (e) {
    fail("refund", e)
  }
  deps.logger.info(`CoinGate refund ${refund.id} of order ${request.coingate_order_id} requested for Medusa refund ${refundId} (${request.amount} ${request.currency_code}).`)
  return {
    ...baseEntry(request, refundId),
    kind: "refund",
    coingate_id: String(refund.id),
    coin: refund.refund_currency?.symbol ?? null,
    network: refund.refund_currency?.platform?.title ?? null,
    status: String(refund.status ?? "pending"),
    snapshot: refundSnapshot(refund),
  }
}

/** Pays `request` out of a ledger account (beneficiary, payout setting, send request), for Medusa refund `refundId`. */
export async function requestPayout(deps: CallDeps, request: CoinGateRefundRequest, refundId: string): Promise<CoinGateRefundEntry> {
  if (!request.beneficiary || !request.amount_currency_id) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate payout: the beneficiary or the amount currency is missing.")
  }
  const externalId = refundId.length <= MAX_EXTERNAL_ID ? refundId : refundId.slice(-MAX_EXTERNAL_ID)
  // Built before anything is sent: a beneficiary it refuses never reaches CoinGate.
  const beneficiaryRequest = beneficiaryBody({ ...request.beneficiary, email: request.email, currency_id: request.currency_id, platform_id: request.platform_id, address: request.address, address_memo: request.address_memo })
  let setting: CoinGatePayoutSetting | undefined
  let beneficiaryId: number
  try {
    const beneficiary = await deps.client.createBeneficiary(beneficiaryRequest)
    beneficiaryId = beneficiary.id
    setting = (beneficiary.beneficiary_payout_settings ?? []).find(
      (p) => p?.crypto_address === request.address && (p.currency?.id === undefined || p.currency.id === request.currency_id)
    )
    if (!setting) {
      setting = await deps.client.createPayoutSetting({
        beneficiary_id: beneficiary.id,
        currency_id: request.currency_id,
        platform_id: request.platform_id,
        crypto_address: request.address,
        ...(request.address_memo ? { crypto_address_metadata: request.address_memo } : {}),
      })
    }
  } catch (e) {
    fail("payout beneficiary", e)
  }
  let sendRequest: CoinGateSendRequest
  try {
    sendRequest = await deps.client.createSendRequest({
      ledger_account_id: request.ledger_account_id,
      beneficiary_payout_setting_id: setting!.id,
      amount: request.amount,
      amount_currency_id: request.amount_currency_id,
      purpose: `Refund ${request.amount} ${request.currency_code.toUpperCase()} (CoinGate order ${request.coingate_order_id}): ${request.reason}`.slice(0, 255),
      callback_url: deps.callbackUrl("send_request", refundId),
      external_id: externalId,
    })
  } catch (e) {
    fail("payout", e)
  }
  deps.logger.info(`CoinGate send request ${sendRequest.id} (${sendRequest.status}) created for Medusa refund ${refundId}.`)
  const { request: answered, exchange } = await answerExchangeIfAsked(deps, sendRequest)
  return {
    ...baseEntry(request, refundId),
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
export async function answerExchangeIfAsked(
deps: CallDeps,
request: CoinGateSendRequest
): Promise<{ request: CoinGateSendRequest; exchange: CoinGateRefundEntry["exchange"] }> {
  const decision = exchangeDecision(request, deps.autoConfirmPayoutExchange)
  if (!decision) return { request, exchange: null }
  const at = new Date().toISOString()
  try {
    const answered = await deps.client.answerSendRequestExchange(request.id, decision)
    const after = answered && typeof answered === "object" && answered.id ? answered : request
    if (decision === "confirm") {
      return { request: after, exchange: { decision: "confirmed", at, note: "The currency exchange was confirmed automatically (autoConfirmPayoutExchange)." } }
    }
    deps.logger.warn(`CoinGate send request ${request.id}: exchange canceled (autoConfirmPayoutExchange is off).`)
    return { request: after, exchange: { decision: "canceled", at, note: EXCHANGE_CANCELED_NOTE } }
  } catch (e: any) {
    deps.logger.warn(`CoinGate send request ${request.id}: could not ${decision} the exchange: ${e?.message ?? e}`)
    return { request, exchange: { decision: "failed", at, note: `Could not ${decision} the exchange: ${e?.message ?? e}` } }
  }
}
