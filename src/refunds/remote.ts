import type { MedusaContainer } from "@medusajs/framework/types"
import type { CoinGateRefund, CoinGateSendRequest } from "../coingate/refund-types"
import { exchangeDecision, outcomeOf } from "./rules/status"
import { coingateGateway } from "../gateway/index"
import { applyRemoteRefund, CoinGateRefundRecord, listRefundRecords, RefundSource } from "./records"

/**
 * Reading a record's refund or send request from CoinGate's API and applying it: a payout waiting for an
 * exchange answer gets one first. Used by the callbacks and the admin's refresh.
 */

/** The record's refund or send request as CoinGate's API says it is now. */
export function readRemoteRefund(container: MedusaContainer, record: CoinGateRefundRecord): Promise<CoinGateRefund | CoinGateSendRequest> {
  const gateway = coingateGateway(container, record.provider_id)
  return record.kind === "refund" ? gateway.refunds.readRefund(record.coingate_order_id, record.coingate_id) : gateway.refunds.readSendRequest(record.coingate_id)
}

/**
 * A send request waiting for an exchange answer (`actions_required`) gets one: confirmed when the
 * provider's `autoConfirmPayoutExchange` is on, otherwise canceled with the reason recorded. Returns the
 * send request as read again afterwards.
 */
async function answerExchange(
  container: MedusaContainer,
  record: CoinGateRefundRecord,
  remote: CoinGateSendRequest
): Promise<{ remote: CoinGateSendRequest; note: string | null; exchangeNote: string | null }> {
  const gateway = coingateGateway(container, record.provider_id)
  if (!exchangeDecision(remote, gateway.refunds.autoConfirmPayoutExchange)) return { remote, note: null, exchangeNote: null }
  const { exchange } = await gateway.refunds.answerExchangeIfAsked(remote)
  let after = remote
  try {
    after = await gateway.refunds.readSendRequest(record.coingate_id)
  } catch {
    // The next callback or refresh reads it again.
  }
  return { remote: after, note: exchange?.note ?? null, exchangeNote: exchange?.decision === "canceled" ? exchange.note : null }
}

/** Applies a refund or send request just read from the API to its record, answering a payout's exchange question first. */
export async function applyReadRefund(
  container: MedusaContainer,
  record: CoinGateRefundRecord,
  remote: CoinGateRefund | CoinGateSendRequest,
  source: RefundSource
): Promise<CoinGateRefundRecord> {
  let note: string | null = null
  let exchangeNote: string | null = null
  if (record.kind === "payout") ({ remote, note, exchangeNote } = await answerExchange(container, record, remote as CoinGateSendRequest))
  return applyRemoteRefund(container, record.id, remote, source, { ...(note ? { note } : {}), exchangeNote })
}

/** Re-reads every open refund and payout of an order from CoinGate (the admin's refresh). */
export async function refreshOrderRefunds(container: MedusaContainer, orderId: string): Promise<void> {
  for (const record of await listRefundRecords(container, { order_id: orderId })) {
    if (outcomeOf(record.kind, record.status) !== "open") continue
    await applyReadRefund(container, record, await readRemoteRefund(container, record), "admin_refresh")
  }
}
