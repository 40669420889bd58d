import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { CoinGateRefund, CoinGateSendRequest } from "../coingate/refund-types"
import type { CallbackOutcome } from "../shared/callback-outcome"
import type { RefundKind } from "./rules/request"
import { coingateGateway, isCoinGateProviderId } from "../gateway/index"
import { findRecord } from "../payments/records"
import { listIntents } from "./intents"
import { callbackReferenceOf, CoinGateRefundRecord, findRefundRecord } from "./records"
import { applyReadRefund, readRemoteRefund } from "./remote"

/**
 * The tokenized refund (`/hooks/coingate/refunds/<token>`) and payout (`/hooks/coingate/send-requests/<token>`)
 * callbacks: finding the record, checking the token, reading the refund or send request from CoinGate's
 * API and applying that. Every check comes before any write.
 */

/** What the route answers, and for the callback log (src/callback-log/record.ts) what the callback was. */
export type CallbackAnswer = {
  status: 200 | 400 | 503
  body: Record<string, unknown>
  outcome: CallbackOutcome
  providerId?: string
  coingateOrderId?: string | null
}

const digits = (v: unknown): string | null => {
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : ""
  return /^\d{1,18}$/.test(s) ? s : null
}

/** The payment a CoinGate order was paid with (through the plugin's record of that order), with its Medusa refunds. */
async function paymentOfCoinGateOrder(container: MedusaContainer, coingateOrderId: string) {
  const record = await findRecord(container, { coingateOrderId })
  if (!record) return null
  const [payment] = await container.resolve(Modules.PAYMENT).listPayments({ payment_session_id: record.payment_session_id } as any, {
    select: ["id", "provider_id"],
    relations: ["refunds"],
  })
  return (payment as unknown as { id: string; provider_id: string; refunds?: Array<{ id: string }> }) ?? null
}

/** Whether a CoinGate provider of this store derives `token` for `reference`. */
async function anyProviderDerives(container: MedusaContainer, kind: "refund" | "send_request", reference: string, token: string): Promise<boolean> {
  const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders({}, { select: ["id"], take: null as any })
  return providers.some(({ id }) => {
    if (!isCoinGateProviderId(id)) return false
    try {
      return coingateGateway(container, id).refunds.isTokenFor(kind, reference, token)
    } catch {
      return false
    }
  })
}

/**
 * The record of a callback's refund or send request. None yet is normal for a moment: CoinGate may call
 * back before the admin route has saved what CoinGate answered it. Then the callback is "ours" (CoinGate
 * is asked to retry) while an admin intent for that payment is in flight, or when the URL token is derived
 * for one of the payment's intents (or, for older ones, its Medusa refunds); otherwise it is ignored. Nothing is written here: a record is made only
 * by the admin route, from CoinGate's own answer.
 */
async function recordForCallback(
  container: MedusaContainer,
  kind: RefundKind,
  coingateId: string,
  hint: { coingateOrderId?: string | null; medusaRefundId?: string | null; token: string }
): Promise<{ record: CoinGateRefundRecord | null; ours: boolean }> {
  const record = await findRefundRecord(container, { kind, coingateId })
  if (record) return { record, ours: true }
  if (kind === "payout") {
    const ours = !!hint.medusaRefundId && (await anyProviderDerives(container, "send_request", hint.medusaRefundId, hint.token))
    return { record: null, ours }
  }
  const payment = hint.coingateOrderId ? await paymentOfCoinGateOrder(container, hint.coingateOrderId) : null
  if (!payment) return { record: null, ours: false }
  // The URL's token is derived from a Medusa refund of that payment, or an admin refund is in flight on it.
  const gateway = coingateGateway(container, payment.provider_id)
  if ((payment.refunds ?? []).some((r) => gateway.refunds.isTokenFor("refund", r.id, hint.token))) return { record: null, ours: true }
  // An intent in flight, or a token derived from one of the payment's intents (a refund whose answer was lost): the record comes.
  const intents = await listIntents(container, { payment_id: payment.id })
  const ours = intents.some((i) => i.state === "requested" || gateway.refunds.isTokenFor("refund", i.id, hint.token))
  return { record: null, ours }
}

/**
 * A refund (`/hooks/coingate/refunds/<token>`) or payout (`/hooks/coingate/send-requests/<token>`)
 * callback. The token must be the one derived for the refund's Medusa refund id; then the refund or send
 * request is read from CoinGate's API and only that is applied. The posted status is never trusted.
 * Answers like the order callback route: 200 (processed or deliberately ignored), 400 (not such a
 * callback at all), 503 (try again later). Never 301/302/401/403.
 */
export async function handleRefundCallback(container: MedusaContainer, kind: RefundKind, token: string, body: unknown): Promise<CallbackAnswer> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>
  const what = kind === "refund" ? "refund" : "send request"
  const coingateId = digits(b.id)
  const coingateOrderId = kind === "refund" ? digits(b.order_id) : null
  const externalId = kind === "payout" && typeof b.external_id === "string" ? b.external_id.trim() : null
  if (!coingateId || (kind === "refund" && !coingateOrderId) || typeof b.status !== "string") {
    return { status: 400, body: { message: `Not a CoinGate ${what} callback: id${kind === "refund" ? ", order_id" : ""} and status are required.` }, outcome: "malformed" }
  }
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: malformed token.`)
    return { status: 200, body: { ok: true, ignored: "not verified" }, outcome: "forged", coingateOrderId }
  }
  try {
    const { record, ours } = await recordForCallback(container, kind, coingateId, { coingateOrderId, medusaRefundId: externalId, token })
    if (!record) {
      if (ours) {
        // The refund is being recorded (the admin's request is still in flight): CoinGate retries.
        logger.info(`CoinGate ${what} callback for ${coingateId}: not recorded yet; asking CoinGate to retry.`)
        return { status: 503, body: { message: `The ${what} is not recorded yet; retry later.` }, outcome: "transient", coingateOrderId }
      }
      logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: no ${what} made through Medusa.`)
      return { status: 200, body: { ok: true, ignored: `unknown ${what}` }, outcome: "unknown", coingateOrderId }
    }
    const seen = { providerId: record.provider_id, coingateOrderId: record.coingate_order_id }
    const gateway = coingateGateway(container, record.provider_id)
    if (!gateway.refunds.isTokenFor(kind === "refund" ? "refund" : "send_request", callbackReferenceOf(record), token)) {
      logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: the URL token does not match its refund.`)
      return { status: 200, body: { ok: true, ignored: "not verified" }, outcome: "forged", ...seen }
    }
    let remote: CoinGateRefund | CoinGateSendRequest
    try {
      remote = await readRemoteRefund(container, record)
    } catch (e: any) {
      if (e?.isNotFound || e?.status === 404) {
        logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: CoinGate has no such ${what}.`)
        return { status: 200, body: { ok: true, ignored: `unknown ${what}` }, outcome: "unknown", ...seen }
      }
      logger.warn(`CoinGate ${what} ${coingateId} could not be read (${e?.message ?? e}); asking CoinGate to retry.`)
      return { status: 503, body: { message: `CoinGate could not be reached to verify the ${what}; retry later.` }, outcome: "transient", ...seen }
    }
    if (String(remote?.id) !== record.coingate_id) {
      return { status: 200, body: { ok: true, ignored: "not verified" }, outcome: "forged", ...seen }
    }
    if (kind === "payout" && String((remote as CoinGateSendRequest).external_id ?? "") !== callbackReferenceOf(record).slice(-50)) {
      logger.warn(`CoinGate send request ${coingateId} ignored: its external_id is not the one the plugin gave it.`)
      return { status: 200, body: { ok: true, ignored: "not verified" }, outcome: "forged", ...seen }
    }
    if (kind === "refund" && (remote as CoinGateRefund).order?.id !== undefined && String((remote as CoinGateRefund).order?.id) !== record.coingate_order_id) {
      return { status: 200, body: { ok: true, ignored: "not verified" }, outcome: "forged", ...seen }
    }
    const updated = await applyReadRefund(container, record, remote, "callback")
    // Stale: authentic, but CoinGate's refund or send request has moved on from the posted status (applied as read).
    const outcome = b.status !== String(remote.status ?? "") ? "stale" : "accepted"
    return { status: 200, body: { ok: true, status: updated.status }, outcome, ...seen }
  } catch (e: any) {
    logger.error(`CoinGate ${what} callback for ${coingateId} failed: ${e?.message ?? e}`)
    return { status: 503, body: { message: "The callback could not be processed now; retry later." }, outcome: "transient", coingateOrderId }
  }
}
