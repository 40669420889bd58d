import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { CoinGateRefund, CoinGateSendRequest } from "../coingate/refund-types"
import { compareDecimal } from "../shared/decimal"
import { coingateGateway, type CoinGateGateway } from "../gateway/index"
import { refundEntryFrom, sendRequestEntryFrom } from "../gateway/refund-requests"
import { listIntents, RefundIntent, updateIntent } from "./intents"
import { recordInMedusa } from "./medusa-record"
import { CoinGateRefundRecord, findRefundRecord, listRefundRecords, recordFromEntry } from "./records"
import type { CoinGateRefundRequest } from "./rules/request"

/**
 * Resolving intents of unknown outcome (docs/refunds.md "Lost answers"): a refund or send request was
 * sent and no clear answer came back, so its amount stays reserved in the cap until CoinGate itself
 * says what happened. Runs inside the payment's lock (before any new refund or payout on it, on the
 * admin's "Check CoinGate") and from the scheduled job (src/jobs/coingate-refund-resolve.ts).
 *
 * - A refund is looked for in its order's refund list (`GET /v2/orders/:id/refunds`), by the callback
 *   URL the plugin gave it (derived from the intent's id: no other refund can carry it).
 * - A send request is looked for in the send request list (`GET /v2/send_requests`, newest first) by its
 *   `external_id`, the intent's id (unique at CoinGate).
 * Found: recorded as made, once ("made at CoinGate: 5.00 EUR on <date>, recorded now"), and recorded in
 * Medusa for a new refund. Not found: still unknown, until the request is older than `GRACE_MS`; only
 * then does CoinGate's list count as proof that nothing was made, and the reservation is released.
 */

/**
 * How long after the request a missing refund or send request still proves nothing: CoinGate may still
 * be carrying out a request whose answer was lost (the client gave up after its own timeout, seconds),
 * and a list may lag a moment behind a write. Ten minutes is far beyond both, and short enough that an
 * admin is not kept waiting long for money that never left.
 */
export const GRACE_MS = 10 * 60_000

/** A `requested` intent this old was left by a process that died mid-request: its outcome is unknown too. */
export const STALE_REQUESTED_MS = 5 * 60_000

/** Most list pages read for one intent (100 a page): bounds the CoinGate requests of one check. */
const MAX_PAGES = 5

export type ResolveSummary = { found: number; released: number; still_unknown: number; errors: number }

const sentAt = (i: RefundIntent) => new Date((i as any).sent_at ?? i.created_at).getTime()
const stamp = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ")

/** Intents of a payment whose outcome must be read from CoinGate. */
export async function unresolvedIntents(container: MedusaContainer, paymentId: string, now = Date.now()): Promise<RefundIntent[]> {
  const intents = await listIntents(container, { payment_id: paymentId, state: ["unknown", "requested"] })
  return intents.filter((i) => i.state === "unknown" || now - sentAt(i) > STALE_REQUESTED_MS)
}

/**
 * Records CoinGate made for a new refund that Medusa was never asked to record: the process stopped between
 * CoinGate's answer and Medusa's refund (null `medusa_amount` marks "not tried"; recordInMedusa sets it when
 * Medusa records only part or none).
 */
export async function unrecordedInMedusa(container: MedusaContainer, paymentId?: string): Promise<CoinGateRefundRecord[]> {
  const records = await listRefundRecords(container, { ...(paymentId ? { payment_id: paymentId } : {}), medusa_refund_id: null, medusa_amount: null })
  return records.filter((r) => r.intent_id)
}

/** Whether a payment has anything for the check to do: an unresolved intent, or a record Medusa was never asked to record. */
export async function needsCheck(container: MedusaContainer, paymentId: string, now = Date.now()): Promise<boolean> {
  return (await unresolvedIntents(container, paymentId, now)).length > 0 || (await unrecordedInMedusa(container, paymentId)).length > 0
}

/** Resolves every unresolved intent of a payment, then records in Medusa what it never recorded. Call inside the payment's lock. */
export async function resolvePaymentIntents(container: MedusaContainer, paymentId: string, now = Date.now()): Promise<ResolveSummary> {
  const summary: ResolveSummary = { found: 0, released: 0, still_unknown: 0, errors: 0 }
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  for (const intent of await unresolvedIntents(container, paymentId, now)) {
    try {
      const result = await resolveIntent(container, intent, now)
      summary[result]++
    } catch (e: any) {
      summary.errors++
      logger.warn(`CoinGate: could not check ${intent.kind} intent ${intent.id} (${e?.message ?? e}); it stays reserved.`)
    }
  }
  for (const record of await unrecordedInMedusa(container, paymentId)) {
    const [intent] = await listIntents(container, { id: record.intent_id })
    if (intent?.purpose !== "new" || intent.state !== "sent") continue
    try {
      await recordInMedusa(container, { record, intent })
    } catch (e: any) {
      summary.errors++
      logger.warn(`CoinGate: could not record ${record.kind} ${record.coingate_id} in Medusa (${e?.message ?? e}); the next check tries again.`)
    }
  }
  return summary
}

async function resolveIntent(container: MedusaContainer, intent: RefundIntent, now: number): Promise<"found" | "released" | "still_unknown"> {
  const request = (intent as any).request as CoinGateRefundRequest | null
  if (!request) return "still_unknown"
  const gateway = coingateGateway(container, intent.provider_id)
  const { remote, complete } = intent.kind === "payout" ? await findSendRequest(gateway, intent) : await findRefund(container, gateway, intent, request)
  if (remote) {
    const entry =
      intent.kind === "payout"
        ? sendRequestEntryFrom(request, intent, remote as CoinGateSendRequest)
        : refundEntryFrom(request, intent, remote as CoinGateRefund)
    const madeAt = new Date((remote as any).created_at ?? Date.now())
    const note = `made at CoinGate: ${intent.amount} ${intent.currency_code} on ${stamp(Number.isNaN(madeAt.getTime()) ? new Date() : madeAt)}, recorded now (its answer had been lost).`
    const record = await recordFromEntry(container, { entry, providerId: intent.provider_id, paymentId: intent.payment_id, orderId: intent.order_id, requestedBy: intent.requested_by, note })
    await updateIntent(container, intent.id, { state: "sent", refund_record_id: record.id, error: null })
    if (intent.purpose === "new" && !record.medusa_refund_id) await recordInMedusa(container, { record, intent })
    return "found"
  }
  // Absence proves nothing until the grace period is over, nor when the lists were not read far enough back.
  if (now - sentAt(intent) <= GRACE_MS || !complete) return "still_unknown"
  const what = intent.kind === "payout" ? `send request (external_id ${intent.id})` : "refund"
  const minutes = Math.floor((now - sentAt(intent)) / 60_000)
  await updateIntent(container, intent.id, {
    state: "failed",
    error: `CoinGate lists no such ${what} ${minutes} min after the request (checked ${new Date(now).toISOString()}): nothing was refunded. You may make it again.`,
  })
  return "released"
}

/** The intent's refund in its order's refund list: the one carrying the callback URL derived from the intent's id. */
async function findRefund(
  container: MedusaContainer,
  gateway: CoinGateGateway,
  intent: RefundIntent,
  request: CoinGateRefundRequest
): Promise<{ remote: CoinGateRefund | null; complete: boolean }> {
  const url = gateway.refunds.callbackUrl("refund", intent.id)
  for (let page = 1; page <= MAX_PAGES; page++) {
    const list = await gateway.refunds.listOrderRefunds(request.coingate_order_id, page)
    for (const r of list.refunds) {
      if (r.callback_url !== undefined) {
        if (r.callback_url === url) return { remote: r, complete: true }
        continue
      }
      // No callback URL in the object: the same amount, address and coin, made after the request, and not a refund the plugin knows.
      const alike =
        compareDecimal(String(r.request_amount ?? ""), intent.amount) === 0 &&
        r.address === request.address &&
        Number(r.refund_currency?.id) === request.currency_id &&
        new Date(r.created_at ?? 0).getTime() >= sentAt(intent) - 60_000
      if (alike && !(await findRefundRecord(container, { kind: "refund", coingateId: String(r.id) }))) return { remote: r, complete: true }
    }
    if (page >= list.total_pages) return { remote: null, complete: true }
  }
  return { remote: null, complete: false }
}

/**
 * The intent's send request, by its external_id (the intent's id), in CoinGate's send request list
 * (newest first). Complete once the list was read back past the request's time (or to its end).
 */
async function findSendRequest(gateway: CoinGateGateway, intent: RefundIntent): Promise<{ remote: CoinGateSendRequest | null; complete: boolean }> {
  const before = sentAt(intent) - 60_000
  for (let page = 1; page <= MAX_PAGES; page++) {
    const list = await gateway.refunds.listSendRequests(page)
    const found = list.send_requests.find((r) => r.external_id === intent.id)
    if (found) return { remote: found, complete: true }
    if (page >= list.total_pages) return { remote: null, complete: true }
    const last = list.send_requests[list.send_requests.length - 1]
    if (last?.created_at && new Date(last.created_at).getTime() < before) return { remote: null, complete: true }
  }
  return { remote: null, complete: false }
}
