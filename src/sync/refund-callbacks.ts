import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { CoinGateRefund, CoinGateSendRequest } from "../lib/refund-types"
import type { RefundKind } from "../lib/refunds"
import { coingateProvider, isCoinGateProviderId } from "./provider"
import { findRecord } from "./records"
import { orderIdOfCollection, refundEntriesOf } from "./refund-orders"
import { CoinGateRefundRecord, findRefundRecord, recordFromEntry } from "./refund-records"
import { applyReadRefund, readRemoteRefund } from "./refund-remote"

/**
 * The tokenized refund (`/hooks/coingate/refunds/<token>`) and payout (`/hooks/coingate/send-requests/<token>`)
 * callbacks: finding the record (or making it from the provider's entry when the callback came first),
 * checking the token, reading the refund or send request from CoinGate's API and applying that.
 */

export type CallbackAnswer = { status: 200 | 400 | 503; body: Record<string, unknown> }

const digits = (v: unknown): string | null => {
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : ""
  return /^\d{1,18}$/.test(s) ? s : null
}

/** The payment (and its CoinGate entries) that a CoinGate order was paid with, through the plugin's record of that order. */
async function paymentOfCoinGateOrder(container: MedusaContainer, coingateOrderId: string) {
  const record = await findRecord(container, { coingateOrderId })
  if (!record) return null
  const [payment] = await container.resolve(Modules.PAYMENT).listPayments({ payment_session_id: record.payment_session_id } as any, {
    select: ["id", "data", "provider_id", "payment_collection_id"],
  })
  return payment ? { payment: payment as any, orderId: record.order_id } : null
}

/** Whether a CoinGate provider of this store derives `token` for `reference`. */
async function anyProviderDerives(container: MedusaContainer, kind: "refund" | "send_request", reference: string, token: string): Promise<boolean> {
  const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders({}, { select: ["id"], take: null as any })
  return providers.some(({ id }) => {
    if (!isCoinGateProviderId(id)) return false
    try {
      return coingateProvider(container, id).refunds.isTokenFor(kind, reference, token)
    } catch {
      return false
    }
  })
}

/**
 * The record of a callback's refund or send request, or, when the callback came before the admin route
 * saved it, one made from the provider's entry in the payment's data (null if none yet).
 */
async function recordForCallback(
  container: MedusaContainer,
  kind: RefundKind,
  coingateId: string,
  hint: { coingateOrderId?: string | null; medusaRefundId?: string | null; token: string }
): Promise<{ record: CoinGateRefundRecord | null; ours: boolean }> {
  const record = await findRefundRecord(container, { kind, coingateId })
  if (record) return { record, ours: true }
  // A payout's callback names its Medusa refund (external_id): the URL token says whether it is ours
  // even before the refund is committed (the creation callback can be that early).
  const tokenIsOurs =
    kind === "payout" && !!hint.medusaRefundId && (await anyProviderDerives(container, "send_request", hint.medusaRefundId, hint.token))
  let found: { payment: any; orderId: string | null } | null = null
  if (kind === "refund" && hint.coingateOrderId) {
    found = await paymentOfCoinGateOrder(container, hint.coingateOrderId)
  } else if (kind === "payout" && hint.medusaRefundId) {
    const [refund] = await container.resolve(Modules.PAYMENT).listRefunds({ id: hint.medusaRefundId } as any, { relations: ["payment"] })
    const payment = (refund as any)?.payment
    if (payment) {
      const [full] = await container.resolve(Modules.PAYMENT).listPayments({ id: payment.id } as any, { select: ["id", "data", "provider_id", "payment_collection_id"] })
      if (full) found = { payment: full, orderId: await orderIdOfCollection(container, (full as any).payment_collection_id) }
    }
  }
  if (!found) return { record: null, ours: tokenIsOurs }
  const entry = refundEntriesOf(found.payment.data).find((e) => e?.kind === kind && String(e.coingate_id) === coingateId)
  if (!entry) return { record: null, ours: true }
  const orderId = found.orderId ?? (await orderIdOfCollection(container, found.payment.payment_collection_id))
  return { record: await recordFromEntry(container, { entry, providerId: found.payment.provider_id, paymentId: found.payment.id, orderId }), ours: true }
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
    return { status: 400, body: { message: `Not a CoinGate ${what} callback: id${kind === "refund" ? ", order_id" : ""} and status are required.` } }
  }
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: malformed token.`)
    return { status: 200, body: { ok: true, ignored: "not verified" } }
  }
  try {
    const { record, ours } = await recordForCallback(container, kind, coingateId, { coingateOrderId, medusaRefundId: externalId, token })
    if (!record) {
      if (ours) {
        // The refund is being recorded (the admin's request is still in flight): CoinGate retries.
        logger.info(`CoinGate ${what} callback for ${coingateId}: not recorded yet; asking CoinGate to retry.`)
        return { status: 503, body: { message: `The ${what} is not recorded yet; retry later.` } }
      }
      logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: no ${what} made through Medusa.`)
      return { status: 200, body: { ok: true, ignored: `unknown ${what}` } }
    }
    const provider = coingateProvider(container, record.provider_id)
    if (!provider.refunds.isTokenFor(kind === "refund" ? "refund" : "send_request", record.medusa_refund_id, token)) {
      logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: the URL token does not match its refund.`)
      return { status: 200, body: { ok: true, ignored: "not verified" } }
    }
    let remote: CoinGateRefund | CoinGateSendRequest
    try {
      remote = await readRemoteRefund(container, record)
    } catch (e: any) {
      if (e?.isNotFound || e?.status === 404) {
        logger.warn(`CoinGate ${what} callback for ${coingateId} ignored: CoinGate has no such ${what}.`)
        return { status: 200, body: { ok: true, ignored: `unknown ${what}` } }
      }
      logger.warn(`CoinGate ${what} ${coingateId} could not be read (${e?.message ?? e}); asking CoinGate to retry.`)
      return { status: 503, body: { message: `CoinGate could not be reached to verify the ${what}; retry later.` } }
    }
    if (String(remote?.id) !== record.coingate_id) {
      return { status: 200, body: { ok: true, ignored: "not verified" } }
    }
    if (kind === "payout" && String((remote as CoinGateSendRequest).external_id ?? "") !== record.medusa_refund_id) {
      logger.warn(`CoinGate send request ${coingateId} ignored: its external_id is not Medusa refund ${record.medusa_refund_id}.`)
      return { status: 200, body: { ok: true, ignored: "not verified" } }
    }
    if (kind === "refund" && (remote as CoinGateRefund).order?.id !== undefined && String((remote as CoinGateRefund).order?.id) !== record.coingate_order_id) {
      return { status: 200, body: { ok: true, ignored: "not verified" } }
    }
    const updated = await applyReadRefund(container, record, remote, "callback")
    return { status: 200, body: { ok: true, status: updated.status } }
  } catch (e: any) {
    logger.error(`CoinGate ${what} callback for ${coingateId} failed: ${e?.message ?? e}`)
    return { status: 503, body: { message: "The callback could not be processed now; retry later." } }
  }
}
