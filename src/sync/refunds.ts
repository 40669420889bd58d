import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { randomUUID } from "crypto"
import { toPriceAmount } from "../lib/amounts"
import type { CoinGateOrder } from "../lib/coingate-types"
import type { CoinGateRefund, CoinGateSendRequest } from "../lib/refund-types"
import {
  attentionForOutcome,
  CoinGateRefundEntry,
  CoinGateRefundRequest,
  compareDecimal,
  exchangeDecision,
  isKnownStatus,
  ManualRefundEntry,
  outcomeOf,
  pickLedgerAccount,
  REFUND_REQUEST_TTL_MS,
  refundMismatch,
  RefundKind,
  refundSnapshot,
  sendRequestSnapshot,
  shouldMoveTo,
  validateRefundInput,
} from "../lib/refunds"
import { coingateProvider, isCoinGateProviderId } from "./provider"
import { findRecord, recordsService } from "./records"

/**
 * Medusa glue of refunds and payouts through CoinGate (docs/refunds.md): the admin's refund form
 * (`startCoinGateRefund`), the records of each refund or payout (`coingate_refund`), applying what
 * CoinGate's API says about one (`applyRemoteRefund`), the callbacks (`handleRefundCallback`), the admin
 * view (`orderRefundsView`), and the check of an order's refunds inside the state applier
 * (`checkCoinGateOrderRefunds`).
 */

export type RefundSource = "admin" | "callback" | "order" | "admin_refresh"

export type RefundHistoryEntry = { status: string; at: string; source: RefundSource | "created"; note?: string }

export type CoinGateRefundRecord = {
  id: string
  kind: RefundKind
  provider_id: string
  medusa_refund_id: string
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

const lockOf = (container: MedusaContainer) => container.resolve(Modules.LOCKING)

/**
 * Creates the record of a refund or payout from the entry the provider appended to `payment.data`
 * (idempotent: the admin route and an early callback may both get here).
 */
export async function recordFromEntry(
  container: MedusaContainer,
  input: { entry: CoinGateRefundEntry; providerId: string; paymentId: string; orderId: string | null; requestedBy?: string | null }
): Promise<CoinGateRefundRecord> {
  const { entry } = input
  return lockOf(container).execute(`coingate:refund:${entry.medusa_refund_id}`, async () => {
    const existing = await findRefundRecord(container, { medusaRefundId: entry.medusa_refund_id })
    if (existing) return existing
    const kind: RefundKind = entry.kind === "payout" ? "payout" : "refund"
    const now = new Date()
    const history: RefundHistoryEntry[] = [{ status: entry.status, at: entry.created_at ?? now.toISOString(), source: "created" }]
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
      medusa_refund_id: entry.medusa_refund_id,
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
    return updated as CoinGateRefundRecord
  })
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
  const provider = coingateProvider(container, record.provider_id)
  if (!exchangeDecision(remote, provider.refunds.autoConfirmPayoutExchange)) return { remote, note: null, exchangeNote: null }
  const { exchange } = await provider.refunds.answerExchangeIfAsked(remote)
  let after = remote
  try {
    after = await provider.refunds.readSendRequest(record.coingate_id)
  } catch {
    // The next callback or refresh reads it again.
  }
  return { remote: after, note: exchange?.note ?? null, exchangeNote: exchange?.decision === "canceled" ? exchange.note : null }
}

// ---------------------------------------------------------------------------------------------------
// Callbacks

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

async function orderIdOfCollection(container: MedusaContainer, paymentCollectionId: string | null | undefined): Promise<string | null> {
  if (!paymentCollectionId) return null
  const { data } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "order_payment_collection", fields: ["order_id"], filters: { payment_collection_id: paymentCollectionId } })
  return (data[0] as any)?.order_id ?? null
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
  const entries = (Array.isArray(found.payment.data?.coingate_refunds) ? found.payment.data.coingate_refunds : []) as CoinGateRefundEntry[]
  const entry = entries.find((e) => e?.kind === kind && String(e.coingate_id) === coingateId)
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
      remote = kind === "refund" ? await provider.refunds.readRefund(record.coingate_order_id, record.coingate_id) : await provider.refunds.readSendRequest(record.coingate_id)
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
    let note: string | null = null
    let exchangeNote: string | null = null
    if (kind === "payout") {
      ;({ remote, note, exchangeNote } = await answerExchange(container, record, remote as CoinGateSendRequest))
    }
    const updated = await applyRemoteRefund(container, record.id, remote, "callback", { ...(note ? { note } : {}), exchangeNote })
    return { status: 200, body: { ok: true, status: updated.status } }
  } catch (e: any) {
    logger.error(`CoinGate ${what} callback for ${coingateId} failed: ${e?.message ?? e}`)
    return { status: 503, body: { message: "The callback could not be processed now; retry later." } }
  }
}

/** Re-reads every open refund and payout of an order from CoinGate (the admin's refresh). */
export async function refreshOrderRefunds(container: MedusaContainer, orderId: string): Promise<void> {
  for (const record of await listRefundRecords(container, { order_id: orderId })) {
    if (outcomeOf(record.kind, record.status) !== "open") continue
    const provider = coingateProvider(container, record.provider_id)
    let remote: CoinGateRefund | CoinGateSendRequest =
      record.kind === "refund" ? await provider.refunds.readRefund(record.coingate_order_id, record.coingate_id) : await provider.refunds.readSendRequest(record.coingate_id)
    let note: string | null = null
    let exchangeNote: string | null = null
    if (record.kind === "payout") ({ remote, note, exchangeNote } = await answerExchange(container, record, remote as CoinGateSendRequest))
    await applyRemoteRefund(container, record.id, remote, "admin_refresh", { ...(note ? { note } : {}), exchangeNote })
  }
}

// ---------------------------------------------------------------------------------------------------
// The order callback: reconcile the order's refunds with the ones Medusa made

/**
 * Called by the state applier with the CoinGate order it just read: refunds the order lists that
 * Medusa made get their status from it (a lost refund callback), and refunds Medusa did not make are
 * flagged (`refund_outside_medusa`). Never throws.
 */
export async function checkCoinGateOrderRefunds(container: MedusaContainer, order: CoinGateOrder): Promise<{ reason: string; note: string } | null> {
  const listed = Array.isArray(order.refunds) ? (order.refunds as CoinGateRefund[]) : []
  if (listed.length === 0 && order.status !== "refunded" && order.status !== "partially_refunded") return null
  try {
    const records = await listRefundRecords(container, { coingate_order_id: String(order.id), kind: "refund" })
    for (const remote of listed) {
      const record = records.find((r) => r.coingate_id === String(remote?.id))
      if (record && remote?.status && shouldMoveTo("refund", record.status, String(remote.status))) {
        await applyRemoteRefund(container, record.id, remote, "order")
      }
    }
    return refundMismatch(
      { id: order.id, status: order.status, price_currency: order.price_currency, refunds: order.refunds },
      records.map((r) => r.coingate_id)
    )
  } catch (e: any) {
    container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate order ${order.id}: refunds could not be compared: ${e?.message ?? e}`)
    return null
  }
}

// ---------------------------------------------------------------------------------------------------
// The admin's refund form

type PaymentRow = {
  id: string
  provider_id: string
  currency_code: string
  amount: any
  raw_amount?: any
  data: Record<string, any> | null
  payment_session_id?: string | null
  captures?: Array<{ amount: any; raw_amount?: any }>
  refunds?: Array<{ id: string; amount: any; raw_amount?: any; created_at?: any; note?: string | null }>
}

type OrderRow = {
  id: string
  email: string | null
  currency_code: string
  billing_address?: { first_name?: string | null; last_name?: string | null; country_code?: string | null } | null
  shipping_address?: { first_name?: string | null; last_name?: string | null; country_code?: string | null } | null
  payment_collections?: Array<{ payments?: PaymentRow[] }>
}

async function loadOrder(container: MedusaContainer, orderId: string): Promise<OrderRow> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: [
      "id",
      "email",
      "currency_code",
      "billing_address.first_name",
      "billing_address.last_name",
      "billing_address.country_code",
      "shipping_address.first_name",
      "shipping_address.last_name",
      "shipping_address.country_code",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.amount",
      "payment_collections.payments.raw_amount",
      "payment_collections.payments.data",
      "payment_collections.payments.payment_session_id",
      "payment_collections.payments.captures.amount",
      "payment_collections.payments.captures.raw_amount",
      "payment_collections.payments.refunds.id",
      "payment_collections.payments.refunds.amount",
      "payment_collections.payments.refunds.raw_amount",
      "payment_collections.payments.refunds.created_at",
      "payment_collections.payments.refunds.note",
    ],
    filters: { id: orderId },
  })
  const order = data[0] as OrderRow | undefined
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found.`)
  return order
}

const sum = (rows: Array<{ amount: any; raw_amount?: any }> | undefined) =>
  (rows ?? []).reduce((acc, r) => MathBN.add(acc, MathBN.convert((r.raw_amount ?? r.amount) as any)), MathBN.convert(0))

function paymentSummary(p: PaymentRow) {
  const currency = (p.currency_code ?? "").toUpperCase()
  const captured = toPriceAmount(sum(p.captures) as any, currency)
  const refunded = toPriceAmount(sum(p.refunds) as any, currency)
  const left = MathBN.sub(MathBN.convert(captured), MathBN.convert(refunded))
  const refundable = toPriceAmount((MathBN.lt(left, 0) ? MathBN.convert(0) : left) as any, currency)
  return { captured, refunded, refundable, currency }
}

const coingatePayments = (order: OrderRow) =>
  (order.payment_collections ?? []).flatMap((c) => c?.payments ?? []).filter((p): p is PaymentRow => !!p && isCoinGateProviderId(p.provider_id))

export type StartRefundResult = { record: CoinGateRefundRecord; medusa_refund_id: string }

/**
 * `POST /admin/coingate/orders/:order_id/refunds`: validates the form, leaves the request in the CoinGate
 * payment's data, runs Medusa's `refundPaymentWorkflow` (so the order's totals are right), which calls the
 * provider's `refundPayment`, which asks CoinGate; then records the refund or payout.
 */
export async function startCoinGateRefund(
  container: MedusaContainer,
  input: { orderId: string; body: unknown; actorId?: string | null }
): Promise<StartRefundResult> {
  const order = await loadOrder(container, input.orderId)
  const payments = coingatePayments(order)
  const wanted = (input.body as any)?.payment_id
  if (wanted && !payments.some((p) => p.id === wanted)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `payment_id ${String(wanted).slice(0, 100)} is not a CoinGate payment of order ${order.id}.`)
  }
  // Paying a refund Medusa made on its own (listed in `coingate_manual_refunds`) instead of a new one.
  const manualId = typeof (input.body as any)?.manual_refund_id === "string" ? String((input.body as any).manual_refund_id) : null
  const manualOf = (p: PaymentRow) =>
    ((Array.isArray(p.data?.coingate_manual_refunds) ? p.data!.coingate_manual_refunds : []) as ManualRefundEntry[]).find((m) => m?.medusa_refund_id === manualId)
  const manualPayment = manualId ? payments.find((p) => !!manualOf(p)) : undefined
  if (manualId && !manualPayment) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Order ${order.id} has no refund ${manualId.slice(0, 100)} to make by hand.`)
  const manual = manualPayment ? manualOf(manualPayment)! : null
  if (manual?.settled_by) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Refund ${manualId} was already paid through CoinGate (${manual.settled_by}).`)
  const payment =
    manualPayment ??
    (wanted ? payments.find((p) => p.id === wanted) : null) ??
    payments.find((p) => compareDecimal(paymentSummary(p).refundable, "0") > 0) ??
    payments[0]
  if (!payment) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${order.id} has no CoinGate payment to refund.`)
  const summary = paymentSummary(payment)
  if (compareDecimal(summary.captured, "0") <= 0) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The CoinGate payment is not captured: there is nothing to refund.")

  const validated = validateRefundInput(input.body, { currencyCode: payment.currency_code, refundable: manual ? manual.amount : summary.refundable })
  if (!validated.ok) throw new MedusaError(MedusaError.Types.INVALID_DATA, validated.errors.join(" "))
  const form = validated.value
  if (manual && compareDecimal(form.amount, manual.amount) !== 0) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `amount must be the refund's: ${manual.amount} ${manual.currency_code}.`)
  }
  const coingateOrderId = payment.data?.coingate_order_id
  if (!coingateOrderId) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The CoinGate payment has no CoinGate order id.")
  const email = form.email ?? order.email ?? undefined
  if (!email) throw new MedusaError(MedusaError.Types.INVALID_DATA, "email is required: the order has none (CoinGate emails the shopper about the refund).")

  const provider = coingateProvider(container, payment.provider_id)
  let ledgerAccountId = form.ledger_account_id ?? provider.refunds.configuredLedgerAccountId
  if (!ledgerAccountId) {
    const record = await findRecord(container, { coingateOrderId: String(coingateOrderId) })
    let receive = (record?.snapshot as CoinGateOrder | null)?.receive_currency ?? null
    if (!receive) receive = (await provider.readOrder(coingateOrderId)).receive_currency ?? null
    ledgerAccountId = pickLedgerAccount(await provider.refunds.ledgerAccounts(), { currency: receive })?.id
    if (!ledgerAccountId) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `No CoinGate ledger account in the order's settlement currency (${receive ?? "unknown"}): choose one, or set the provider option ledgerAccountId.`
      )
    }
  }

  let amountCurrencyId: number | undefined
  let beneficiary: CoinGateRefundRequest["beneficiary"]
  if (form.method === "payout") {
    amountCurrencyId = (await provider.refunds.currencyIdOf(payment.currency_code)) ?? undefined
    if (!amountCurrencyId) throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate does not list the currency ${payment.currency_code.toUpperCase()}.`)
    const address = order.billing_address ?? order.shipping_address ?? {}
    beneficiary = {
      first_name: form.beneficiary?.first_name || address.first_name || "",
      last_name: form.beneficiary?.last_name || address.last_name || "",
      country: (form.beneficiary?.country || address.country_code || "").toUpperCase(),
    }
    if (!beneficiary.first_name || !beneficiary.last_name || !/^[A-Z]{2}$/.test(beneficiary.country)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "A payout needs the shopper's first name, last name and country (CoinGate's beneficiary): the order's address has none; give beneficiary.first_name, last_name and country."
      )
    }
  }

  const now = new Date()
  const request: CoinGateRefundRequest = {
    id: randomUUID(),
    method: form.method,
    amount: form.amount,
    currency_code: payment.currency_code.toUpperCase(),
    coingate_order_id: String(coingateOrderId),
    address: form.address,
    ...(form.address_memo ? { address_memo: form.address_memo } : {}),
    currency_id: form.currency_id,
    platform_id: form.platform_id,
    email,
    reason: form.reason,
    ledger_account_id: ledgerAccountId,
    ...(amountCurrencyId ? { amount_currency_id: amountCurrencyId } : {}),
    ...(beneficiary ? { beneficiary } : {}),
    requested_by: input.actorId ?? null,
    requested_at: now.toISOString(),
    expires_at: new Date(now.getTime() + REFUND_REQUEST_TTL_MS).toISOString(),
  }

  const paymentModule = container.resolve(Modules.PAYMENT)
  const dataOf = async () => ((await paymentModule.listPayments({ id: payment.id } as any, { select: ["id", "data"] }))[0] as any)?.data ?? {}
  // One refund at a time per payment: the request in the data is the one the provider sees.
  await lockOf(container).execute(
    `coingate:refund-payment:${payment.id}`,
    async () => {
      if (manual && manualId) {
        // Medusa already counts this refund: only CoinGate is asked, then the payment data says so.
        const entry = await coingateProvider(container, payment.provider_id).refunds.settleManualRefund(request, manualId)
        const current = await dataOf()
        const manuals = ((Array.isArray(current.coingate_manual_refunds) ? current.coingate_manual_refunds : []) as ManualRefundEntry[]).map((m) =>
          m?.medusa_refund_id === manualId ? { ...m, settled_by: `${entry.kind === "refund" ? "refund" : "send request"} ${entry.coingate_id}`, settled_at: new Date().toISOString() } : m
        )
        const refunds = [...(Array.isArray(current.coingate_refunds) ? current.coingate_refunds : []), entry]
        await paymentModule.updatePayment({ id: payment.id, data: { ...current, coingate_refunds: refunds, coingate_manual_refunds: manuals } } as any)
        return
      }
      await paymentModule.updatePayment({ id: payment.id, data: { ...(await dataOf()), coingate_refund_request: request } } as any)
      try {
        await refundPaymentWorkflow(container).run({
          input: { payment_id: payment.id, amount: form.amount as any, created_by: input.actorId ?? undefined, note: form.reason },
        })
      } catch (e) {
        // Medusa merges payment data on update: the request is removed by setting it to null.
        const current = await dataOf()
        if (current.coingate_refund_request?.id === request.id) {
          await paymentModule.updatePayment({ id: payment.id, data: { ...current, coingate_refund_request: null } } as any)
        }
        throw e
      }
    },
    { timeout: 60 }
  )

  const data = await dataOf()
  const entry = ((Array.isArray(data.coingate_refunds) ? data.coingate_refunds : []) as CoinGateRefundEntry[]).find((e) => e?.request_id === request.id)
  if (!entry) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Medusa recorded the refund but the CoinGate provider did not make it; see the manual refunds of this order.")
  }
  const record = await recordFromEntry(container, { entry, providerId: payment.provider_id, paymentId: payment.id, orderId: order.id, requestedBy: input.actorId ?? null })
  return { record, medusa_refund_id: entry.medusa_refund_id }
}

// ---------------------------------------------------------------------------------------------------
// The admin view

export type AdminCoinGateRefund = {
  id: string
  kind: RefundKind
  medusa_refund_id: string
  payment_id: string
  coingate_id: string
  coingate_order_id: string
  amount: string
  currency_code: string
  address: string
  address_memo: string | null
  coin: string | null
  network: string | null
  currency_id: number
  platform_id: number
  email: string | null
  reason: string | null
  ledger_account_id: string | null
  status: string
  /** open (CoinGate or someone still has to act), sent, not_sent. */
  outcome: string
  rejection_reason: string | null
  requires_2fa_confirmation: boolean
  attention: { reason: string; note: string | null } | null
  snapshot: Record<string, unknown> | null
  history: RefundHistoryEntry[]
  created_at: string | null
  updated_at: string | null
  completed_at: string | null
  last_callback_at: string | null
}

const iso = (v: unknown): string | null => {
  if (v === undefined || v === null || v === "") return null
  const d = v instanceof Date ? v : new Date(String(v))
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** What the admin sees of a record: picked field by field (no callback URL, no token). */
export function refundView(r: CoinGateRefundRecord): AdminCoinGateRefund {
  const snapshot = (r.snapshot ?? null) as Record<string, unknown> | null
  return {
    id: r.id,
    kind: r.kind,
    medusa_refund_id: r.medusa_refund_id,
    payment_id: r.payment_id,
    coingate_id: r.coingate_id,
    coingate_order_id: r.coingate_order_id,
    amount: r.amount,
    currency_code: r.currency_code,
    address: r.address,
    address_memo: r.address_memo,
    coin: r.coin,
    network: r.network,
    currency_id: r.currency_id,
    platform_id: r.platform_id,
    email: r.email,
    reason: r.reason,
    ledger_account_id: r.ledger_account_id,
    status: r.status,
    outcome: outcomeOf(r.kind, r.status),
    rejection_reason: r.rejection_reason,
    requires_2fa_confirmation: r.kind === "payout" && r.status === "draft" && !!snapshot?.requires_2fa_confirmation,
    attention: r.attention ? { reason: r.attention, note: r.attention_note } : null,
    snapshot,
    history: (Array.isArray(r.history) ? r.history : []).map((h) => ({ ...h, at: iso(h.at) ?? String(h.at) })),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    completed_at: iso(r.completed_at),
    last_callback_at: iso(r.last_callback_at),
  }
}

export type AdminOrderRefunds = {
  order_id: string
  currency_code: string
  payments: Array<{ payment_id: string; provider_id: string; coingate_order_id: string | null; captured: string; refunded: string; refundable: string }>
  refunds: AdminCoinGateRefund[]
  /** Refunds Medusa made on its own: the merchant still has to pay them (CoinGate dashboard). */
  manual_refunds: Array<ManualRefundEntry & { payment_id: string }>
  /** For the form: the order's email and the shopper's name and country (a payout's beneficiary). */
  defaults: { email: string | null; first_name: string | null; last_name: string | null; country: string | null }
}

/** `GET /admin/coingate/orders/:order_id/refunds`. */
export async function orderRefundsView(container: MedusaContainer, orderId: string): Promise<AdminOrderRefunds> {
  const order = await loadOrder(container, orderId)
  const payments = coingatePayments(order)
  const byOrder = await listRefundRecords(container, { order_id: orderId })
  const byPayment = payments.length ? await listRefundRecords(container, { payment_id: payments.map((p) => p.id) }) : []
  const records = new Map<string, CoinGateRefundRecord>()
  for (const r of [...byOrder, ...byPayment]) records.set(r.id, r)
  const address = order.billing_address ?? order.shipping_address ?? null
  return {
    order_id: order.id,
    currency_code: order.currency_code.toUpperCase(),
    payments: payments.map((p) => {
      const s = paymentSummary(p)
      return {
        payment_id: p.id,
        provider_id: p.provider_id,
        coingate_order_id: p.data?.coingate_order_id ? String(p.data.coingate_order_id) : null,
        captured: s.captured,
        refunded: s.refunded,
        refundable: s.refundable,
      }
    }),
    refunds: [...records.values()].sort((a, b) => iso(a.created_at)!.localeCompare(iso(b.created_at)!)).map(refundView),
    manual_refunds: payments.flatMap((p) =>
      (Array.isArray(p.data?.coingate_manual_refunds) ? (p.data!.coingate_manual_refunds as ManualRefundEntry[]) : []).map((m) => ({
        medusa_refund_id: m?.medusa_refund_id ?? null,
        amount: String(m?.amount ?? ""),
        currency_code: String(m?.currency_code ?? "").toUpperCase(),
        at: String(m?.at ?? ""),
        note: String(m?.note ?? ""),
        settled_by: m?.settled_by ?? null,
        settled_at: m?.settled_at ?? null,
        payment_id: p.id,
      }))
    ),
    defaults: {
      email: order.email ?? null,
      first_name: address?.first_name ?? null,
      last_name: address?.last_name ?? null,
      country: address?.country_code ? address.country_code.toUpperCase() : null,
    },
  }
}

/** `GET /admin/coingate/refund-options`: coins and networks, ledger accounts, and the default account. */
export async function refundOptions(container: MedusaContainer, opts: { orderId?: string | null; providerId?: string | null }) {
  let providerId = opts.providerId ?? null
  let receive: string | null = null
  if (opts.orderId) {
    const order = await loadOrder(container, opts.orderId)
    const payment = coingatePayments(order)[0]
    if (payment) {
      providerId = providerId ?? payment.provider_id
      const record = payment.data?.coingate_order_id ? await findRecord(container, { coingateOrderId: String(payment.data.coingate_order_id) }) : null
      receive = (record?.snapshot as CoinGateOrder | null)?.receive_currency ?? null
    }
  }
  if (!providerId) {
    const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders({}, { take: null as any })
    providerId = providers.map((p) => p.id).find(isCoinGateProviderId) ?? null
  }
  if (!providerId) throw new MedusaError(MedusaError.Types.NOT_FOUND, "No CoinGate payment provider is configured.")
  const provider = coingateProvider(container, providerId)
  const [coins, accounts] = await Promise.all([provider.refunds.refundCoins(), provider.refunds.ledgerAccounts()])
  const configured = provider.refunds.configuredLedgerAccountId
  return {
    provider_id: providerId,
    currencies: coins,
    ledger_accounts: accounts.map((a) => ({
      id: a.id,
      title: a.title ?? null,
      currency: a.currency?.symbol ?? null,
      balance: a.balance ?? null,
      account_type: a.account_type ?? null,
      status: a.status ?? null,
    })),
    default_ledger_account_id: pickLedgerAccount(accounts, { configured, currency: receive })?.id ?? null,
    configured_ledger_account_id: configured ?? null,
    auto_confirm_payout_exchange: provider.refunds.autoConfirmPayoutExchange,
  }
}
