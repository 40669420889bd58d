import type { Logger } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { CoinGateClient } from "../coingate/client"
import type { CoinGateRefund, CoinGatePayoutSetting, CoinGateSendRequest } from "../coingate/refund-types"
import type { CoinGateRefundEntry, CoinGateRefundRequest } from "../refunds/rules/request"
import { EXCHANGE_CANCELED_NOTE, exchangeDecision } from "../refunds/rules/status"
import { refundSnapshot, sendRequestSnapshot } from "../refunds/rules/snapshots"
import { classifyRequestFailure, CoinGateRefundError } from "../refunds/rules/outcome"
import { beneficiaryBody } from "../refunds/rules/beneficiary"

export { CoinGateRefundError } from "../refunds/rules/outcome"

/**
 * The CoinGate requests that move money for an admin's refund intent: a refund from the order, or a
 * payout (beneficiary, payout setting, send request, the exchange answer). Only the admin route
 * (start.ts, through `CoinGateRefunds.send`) calls these, for an intent it recorded first.
 */

/** Who a request is for: the intent (its callback token and external_id) and the Medusa refund it pays, if known. */
export type RequestFor = { intentId: string; medusaRefundId: string | null }

export type CallDeps = {
  client: CoinGateClient
  logger: Logger
  /** The tokenized callback URL of a refund or send request made for `reference` (the intent id; a Medusa refund id for older records). */
  callbackUrl: (kind: "refund" | "send_request", reference: string) => string
  autoConfirmPayoutExchange: boolean
}

const MAX_EXTERNAL_ID = 50

/**
 * A failed money-moving request as an error for the admin, classified in one place (src/refunds/rules/outcome.ts): the
 * admin reads "nothing was refunded" only when CoinGate's answer proves it.
 */
function fail(what: string, e: any, amount: string): never {
  const detail = e?.errors?.length ? e.errors.join("; ") : e?.message ?? String(e)
  const outcome = classifyRequestFailure(e)
  const transient = e?.transient === true
  if (outcome === "unknown") {
    throw new CoinGateRefundError(
      MedusaError.Types.UNEXPECTED_STATE,
      `CoinGate's answer to the ${what} of ${amount} was lost (${e?.message ?? e}): it may have been made. Its amount stays reserved; ` +
        'the plugin reads CoinGate to find out (automatically, or "Check CoinGate" on the order) and records it if it was made. Do not make it again.',
      { outcome, transient: true }
    )
  }
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500 && e.status !== 429) {
    throw new CoinGateRefundError(MedusaError.Types.INVALID_DATA, `CoinGate refused the ${what}: ${detail}. Nothing was refunded.`, { outcome, transient })
  }
  // The plugin's request budget, or CoinGate's rate limit: refused before anything was made.
  throw new CoinGateRefundError(MedusaError.Types.UNEXPECTED_STATE, `The ${what} was not made (${e?.message ?? e}); nothing was refunded. Try again.`, { outcome, transient: true })
}

/** Failures before the money-moving request (beneficiary, payout setting) move no money: never unknown. */
function failBeforeMoney(what: string, e: any): never {
  const detail = e?.errors?.length ? e.errors.join("; ") : e?.message ?? String(e)
  const refused = typeof e?.status === "number" && e.status >= 400 && e.status < 500 && e.status !== 429
  throw new CoinGateRefundError(
    refused ? MedusaError.Types.INVALID_DATA : MedusaError.Types.UNEXPECTED_STATE,
    refused ? `CoinGate refused the ${what}: ${detail}. Nothing was paid out.` : `The ${what} could not be made (${e?.message ?? e}); nothing was paid out. Try again.`,
    { outcome: "not_made", transient: !refused }
  )
}

function baseEntry(request: CoinGateRefundRequest, to: RequestFor) {
  return {
    request_id: request.id,
    intent_id: to.intentId,
    medusa_refund_id: to.medusaRefundId,
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

/** Asks CoinGate to refund `request` from its order (`POST /v2/orders/:id/refunds`), for intent `to.intentId`. */
export async function requestRefund(deps: CallDeps, request: CoinGateRefundRequest, to: RequestFor): Promise<CoinGateRefundEntry> {
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
      callback_url: deps.callbackUrl("refund", to.intentId),
    })
  } catch (e) {
    fail("refund", e, `${request.amount} ${request.currency_code}`)
  }
  deps.logger.info(`CoinGate refund ${refund.id} of order ${request.coingate_order_id} requested for intent ${to.intentId} (${request.amount} ${request.currency_code}).`)
  return refundEntryFrom(request, { id: to.intentId, medusa_refund_id: to.medusaRefundId }, refund)
}

/** The entry of a refund CoinGate made for an intent (from its answer, or found in the order's refund list). */
export function refundEntryFrom(request: CoinGateRefundRequest, intent: { id: string; medusa_refund_id: string | null }, refund: CoinGateRefund): CoinGateRefundEntry {
  return {
    ...baseEntry(request, { intentId: intent.id, medusaRefundId: intent.medusa_refund_id }),
    kind: "refund",
    coingate_id: String(refund.id),
    coin: refund.refund_currency?.symbol ?? null,
    network: refund.refund_currency?.platform?.title ?? null,
    status: String(refund.status ?? "pending"),
    snapshot: refundSnapshot(refund),
  }
}

/** Pays `request` out of a ledger account (beneficiary, payout setting, send request), for intent `to.intentId`. */
export async function requestPayout(deps: CallDeps, request: CoinGateRefundRequest, to: RequestFor): Promise<CoinGateRefundEntry> {
  if (!request.beneficiary || !request.amount_currency_id) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate payout: the beneficiary or the amount currency is missing.")
  }
  // The intent's id (cgint_ + 26): unique at CoinGate, and how a lost answer's send request is found again.
  const externalId = to.intentId.length <= MAX_EXTERNAL_ID ? to.intentId : to.intentId.slice(-MAX_EXTERNAL_ID)
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
    failBeforeMoney("payout beneficiary", e)
  }
  let sendRequest: CoinGateSendRequest
  try {
    sendRequest = await deps.client.createSendRequest({
      ledger_account_id: request.ledger_account_id,
      beneficiary_payout_setting_id: setting!.id,
      amount: request.amount,
      amount_currency_id: request.amount_currency_id,
      purpose: `Refund ${request.amount} ${request.currency_code.toUpperCase()} (CoinGate order ${request.coingate_order_id}): ${request.reason}`.slice(0, 255),
      callback_url: deps.callbackUrl("send_request", to.intentId),
      external_id: externalId,
    })
  } catch (e) {
    fail("payout", e, `${request.amount} ${request.currency_code}`)
  }
  deps.logger.info(`CoinGate send request ${sendRequest.id} (${sendRequest.status}) created for intent ${to.intentId}.`)
  const { request: answered, exchange } = await answerExchangeIfAsked(deps, sendRequest)
  return { ...sendRequestEntryFrom(request, { id: to.intentId, medusa_refund_id: to.medusaRefundId }, answered, setting!), beneficiary_id: String(beneficiaryId!), exchange }
}

/** The entry of a send request CoinGate made for an intent (from its answer, or found by external_id). */
export function sendRequestEntryFrom(
  request: CoinGateRefundRequest,
  intent: { id: string; medusa_refund_id: string | null },
  answered: CoinGateSendRequest,
  setting?: CoinGatePayoutSetting
): CoinGateRefundEntry {
  return {
    ...baseEntry(request, { intentId: intent.id, medusaRefundId: intent.medusa_refund_id }),
    kind: "payout",
    coingate_id: String(answered.id),
    coin: answered.sending_currency?.symbol ?? setting?.currency?.symbol ?? null,
    network: answered.beneficiary_payout_setting?.platform?.title ?? setting?.platform?.title ?? null,
    status: String(answered.status),
    beneficiary_id: answered.beneficiary_payout_setting?.beneficiary_id !== undefined ? String(answered.beneficiary_payout_setting.beneficiary_id) : null,
    beneficiary_payout_setting_id: String(answered.beneficiary_payout_setting?.id ?? setting?.id ?? ""),
    exchange: null,
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
