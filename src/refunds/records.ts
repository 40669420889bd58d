import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { CoinGateRefund, CoinGateSendRequest } from "../coingate/refund-types"
import { attentionForOutcome, isKnownStatus, shouldMoveTo } from "./rules/status"
import { noticeNewAttention } from "../payments/attention-notice"
import { CoinGateRefundEntry, RefundKind } from "./rules/request"
import { refundSnapshot, sendRequestSnapshot } from "./rules/snapshots"
import { recordsService } from "../payments/records"

/**
 * The plugin's record of each refund or payout made through CoinGate (`coingate_refund`): reading them,
 * creating one from the provider's entry in `payment.data`, and applying what CoinGate's API says about one.
 */

export type RefundSource = "admin" | "callback" | "order" | "admin_refresh" | "check"

export type RefundHistoryEntry = { status: string; at: string; source: RefundSource | "created"; note?: string }

export type CoinGateRefundRecord = {
  id: string
  kind: RefundKind
  provider_id: string
  /** The Medusa refund row it pays; null while made at CoinGate but not (yet) recorded in Medusa. */
  medusa_refund_id: string | null
  /** What Medusa's row records of it when less than all of it ("0": none); null: all of it, or not tried yet. */
  medusa_amount: string | null
  /** The admin intent it was made for (its callback token and external_id); null for records made before issue 22. */
  intent_id: string | null
  payment_id: string
  order_id: string | null
  coingate_id: string
  coingate_order_id: string
  amount: string
  currency_code: string
  address: string
  address_memo: string | null
  currency_id: number
  platform_id: number
  coin: string | null
  network: string | null
  email: string | null
  reason: string | null
  ledger_account_id: string | null
  status: string
  rejection_reason: string | null
  snapshot: Record<string, any> | null
  history: RefundHistoryEntry[]
  attention: string | null
  attention_note: string | null
  requested_by: string | null
  last_synced_at: Date | null
  last_callback_at: Date | null
  completed_at: Date | null
  created_at: Date
  updated_at: Date
}

const service = (container: MedusaContainer) => recordsService(container) as any

export async function listRefundRecords(container: MedusaContainer, filters: Record<string, unknown>): Promise<CoinGateRefundRecord[]> {
  return (await service(container).listCoinGateRefunds(filters, { order: { created_at: "ASC" } })) as CoinGateRefundRecord[]
}

export async function findRefundRecord(
  container: MedusaContainer,
  by: { kind: RefundKind; coingateId: string } | { medusaRefundId: string }
): Promise<CoinGateRefundRecord | null> {
  const filters = "medusaRefundId" in by ? { medusa_refund_id: by.medusaRefundId } : { kind: by.kind, coingate_id: String(by.coingateId) }
  const [record] = (await service(container).listCoinGateRefunds(filters, { take: 1 })) as CoinGateRefundRecord[]
  return record ?? null
}

export const lockOf = (container: MedusaContainer) => container.resolve(Modules.LOCKING)

/** What a record's callback token and send request external_id were derived from: the intent id, or the Medusa refund id for older records. */
export const callbackReferenceOf = (record: Pick<CoinGateRefundRecord, "intent_id" | "medusa_refund_id">): string => record.intent_id ?? record.medusa_refund_id ?? ""

/**
 * Links a record to the Medusa refund row that records it (src/refunds/medusa-record.ts); `medusaAmount` when
 * that row records only part of it. A null row with `medusaAmount` "0": Medusa records none of it.
 */
export async function linkMedusaRefund(container: MedusaContainer, recordId: string, medusaRefundId: string | null, medusaAmount: string | null = null): Promise<CoinGateRefundRecord> {
  return (await service(container).updateCoinGateRefunds({ id: recordId, medusa_refund_id: medusaRefundId, medusa_amount: medusaAmount })) as CoinGateRefundRecord
}

/** Adds a note to a record's history (what the admin reads), its status unchanged. */
export async function noteOnRecord(container: MedusaContainer, recordId: string, note: string): Promise<CoinGateRefundRecord> {
  return lockOf(container).execute(`coingate:refund-record:${recordId}`, async () => {
    const [record] = (await service(container).listCoinGateRefunds({ id: recordId }, { take: 1 })) as CoinGateRefundRecord[]
    const history = [...(Array.isArray(record.history) ? record.history : []), { status: record.status, at: new Date().toISOString(), source: "admin" as const, note }]
    return (await service(container).updateCoinGateRefunds({ id: recordId, history })) as CoinGateRefundRecord
  })
}

/**
 * Creates the record of a refund or payout CoinGate made, from the provider's entry (idempotent: one
 * record per CoinGate refund or send request, whether the admin route or a resolution gets there).
 * `note`: why it is recorded now (a lost answer found again).
 */
export async function recordFromEntry(
  container: MedusaContainer,
  input: { entry: CoinGateRefundEntry; providerId: string; paymentId: string; orderId: string | null; requestedBy?: string | null; note?: string }
): Promise<CoinGateRefundRecord> {
  const { entry } = input
  const kind: RefundKind = entry.kind === "payout" ? "payout" : "refund"
  return lockOf(container).execute(`coingate:refund:${kind}:${entry.coingate_id}`, async () => {
    const existing = await findRefundRecord(container, { kind, coingateId: String(entry.coingate_id) })
    if (existing) return existing
    const now = new Date()
    const history: RefundHistoryEntry[] = [{ status: entry.status, at: entry.created_at ?? now.toISOString(), source: "created", ...(input.note ? { note: input.note } : {}) }]
    if (entry.exchange) history.push({ status: entry.status, at: entry.exchange.at, source: "admin", note: entry.exchange.note })
    const attention =
      attentionForOutcome(kind, entry.status, {
        amount: entry.amount,
        currencyCode: entry.currency_code,
        rejectionReason: (entry.snapshot?.rejection_reason as string) ?? null,
        exchangeNote: entry.exchange?.decision === "canceled" ? entry.exchange.note : null,
      }) ?? (entry.exchange?.decision === "failed" ? { reason: "payout_exchange_unanswered", note: entry.exchange.note } : null)
    const created = await service(container).createCoinGateRefunds({
      kind,
      provider_id: input.providerId,
      medusa_refund_id: entry.medusa_refund_id ?? null,
      intent_id: entry.intent_id ?? null,
      payment_id: input.paymentId,
      order_id: input.orderId,
      coingate_id: String(entry.coingate_id),
      coingate_order_id: String(entry.coingate_order_id),
      amount: entry.amount,
      currency_code: entry.currency_code,
      address: entry.address,
      address_memo: entry.address_memo ?? null,
      currency_id: Number(entry.currency_id),
      platform_id: Number(entry.platform_id),
      coin: entry.coin ?? null,
      network: entry.network ?? null,
      email: entry.email ?? null,
      reason: entry.reason ?? null,
      ledger_account_id: entry.ledger_account_id ?? null,
      status: entry.status,
      rejection_reason: (entry.snapshot?.rejection_reason as string) ?? null,
      snapshot: entry.snapshot ?? null,
      history,
      attention: attention?.reason ?? null,
      attention_note: attention?.note ?? null,
      requested_by: input.requestedBy ?? null,
      last_synced_at: now,
      completed_at: entry.status === "completed" ? now : null,
    })
    noticeNewAttention(container, null, created as CoinGateRefundRecord)
    return created as CoinGateRefundRecord
  })
}

/**
 * Applies a refund or send request as just read from CoinGate's API (never a posted callback body) to
 * its record: status (a final status is never left), snapshot, rejection reason, history, and a flag for
 * a person when nothing was sent. Serialized per record.
 */
export async function applyRemoteRefund(
  container: MedusaContainer,
  recordId: string,
  remote: CoinGateRefund | CoinGateSendRequest,
  source: RefundSource,
  extra: { note?: string; exchangeNote?: string | null } = {}
): Promise<CoinGateRefundRecord> {
  return lockOf(container).execute(`coingate:refund-record:${recordId}`, async () => {
    const [record] = (await service(container).listCoinGateRefunds({ id: recordId }, { take: 1 })) as CoinGateRefundRecord[]
    if (!record) throw new Error(`No CoinGate refund record ${recordId}`)
    const kind = record.kind
    const status = String(remote.status)
    const now = new Date()
    const moved = shouldMoveTo(kind, record.status, status)
    const sameStatus = record.status === status
    const history = [...(Array.isArray(record.history) ? record.history : [])]
    if (moved) history.push({ status, at: now.toISOString(), source, ...(extra.note ? { note: extra.note } : {}) })
    else if (extra.note) history.push({ status: record.status, at: now.toISOString(), source, note: extra.note })
    const next = moved ? status : record.status
    const snapshot = moved || sameStatus ? (kind === "refund" ? refundSnapshot(remote as CoinGateRefund) : sendRequestSnapshot(remote as CoinGateSendRequest)) : record.snapshot
    const rejection = kind === "refund" ? ((snapshot as any)?.rejection_reason ?? record.rejection_reason ?? null) : record.rejection_reason
    const exchangeNote =
      extra.exchangeNote ?? [...history].reverse().find((h) => h.note && /exchange/i.test(h.note))?.note ?? null
    const attention = moved
      ? attentionForOutcome(kind, next, { amount: record.amount, currencyCode: record.currency_code, rejectionReason: rejection, exchangeNote })
      : null
    if (!moved && !sameStatus && isKnownStatus(kind, status)) {
      container
        .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
        .warn(`CoinGate ${kind} ${record.coingate_id} reads ${status} but was ${record.status} (final); kept ${record.status}.`)
    }
    const updated = await service(container).updateCoinGateRefunds({
      id: record.id,
      status: next,
      snapshot,
      rejection_reason: rejection,
      history,
      ...(attention ? { attention: attention.reason, attention_note: attention.note } : {}),
      last_synced_at: now,
      ...(source === "callback" ? { last_callback_at: now } : {}),
      ...(moved && next === "completed" ? { completed_at: now } : {}),
    })
    // A flag is only raised by a move to a final status, so a repeated callback announces nothing.
    noticeNewAttention(container, record.attention, updated as CoinGateRefundRecord)
    return updated as CoinGateRefundRecord
  })
}
