import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { randomUUID } from "crypto"
import type { CoinGateOrder } from "../coingate/types"
import { capError, owedMedusaRefunds, type CapMoney } from "./rules/cap"
import { CoinGateRefundEntry, CoinGateRefundRequest, validateRefundInput } from "./rules/request"
import { compareDecimal } from "../shared/decimal"
import { pickLedgerAccount } from "./rules/form-options"
import { alpha3Country } from "./countries"
import { coingateGateway } from "../gateway/index"
import { findRecord } from "../payments/records"
import { createIntent, earlierIntent, intentFingerprint, listIntents, refuseUnsettled, RefundIntent, stateAfterError, updateIntent } from "./intents"
import { coingatePayments, loadCoinGatePayment, loadOrder, OrderRow, PaymentRow, paymentSummary, refundAmountOf } from "./orders"
import { CoinGateRefundRecord, findRefundRecord, listRefundRecords, lockOf, recordFromEntry } from "./records"
import { capMoneyOf } from "./cap-inputs"
import { recordInMedusa } from "./medusa-record"
import { resolvePaymentIntents } from "./resolve"

/**
 * The admin's refund form: asking CoinGate for a refund or payout of an order's CoinGate payment. Only
 * this server code, behind admin authentication, makes money move (docs/security.md): an intent row
 * first, the caps checked inside the payment's lock, then one CoinGate call.
 */

export type StartRefundResult = { record: CoinGateRefundRecord; medusa_refund_id: string | null; replayed?: boolean }

/** The payment a form is for, and the Medusa refund it pays when it settles one Medusa made on its own. */
function pickPayment(order: OrderRow, body: any): { payment: PaymentRow; manualId: string | null } {
  const payments = coingatePayments(order)
  const wanted = body?.payment_id
  if (wanted && !payments.some((p) => p.id === wanted)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `payment_id ${String(wanted).slice(0, 100)} is not a CoinGate payment of order ${order.id}.`)
  }
  const manualId = typeof body?.manual_refund_id === "string" ? String(body.manual_refund_id) : null
  if (manualId) {
    // A refund Medusa made on its own, found among Medusa's refund rows (never in payment data).
    const payment = payments.find((p) => (p.refunds ?? []).some((r) => r.id === manualId))
    if (!payment) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Order ${order.id} has no refund ${manualId.slice(0, 100)} to make by hand.`)
    return { payment, manualId }
  }
  const payment =
    (wanted ? payments.find((p) => p.id === wanted) : null) ??
    payments.find((p) => compareDecimal(paymentSummary(p).refundable, "0") > 0) ??
    payments[0]
  if (!payment) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${order.id} has no CoinGate payment to refund.`)
  return { payment, manualId: null }
}

/**
 * `POST /admin/coingate/orders/:order_id/refunds`: validates the form, and inside the payment's lock
 * first resolves the payment's intents of unknown outcome (src/refunds/resolve.ts), then checks the one
 * cap (src/refunds/rules/cap.ts), records the intent and makes one CoinGate refund or send request, tied to the
 * intent's own id (its callback token and the send request's external_id). Only then is a new refund
 * recorded in Medusa (src/refunds/medusa-record.ts); the provider's `refundPayment` never sends anything.
 * A repeated submit (same idempotency key, or the same refund within two minutes) answers the first
 * one's record and moves nothing. A lost answer leaves the intent unknown, its amount reserved.
 */
export async function startCoinGateRefund(
  container: MedusaContainer,
  input: { orderId: string; body: unknown; actorId?: string | null }
): Promise<StartRefundResult> {
  const body = (input.body ?? {}) as any
  const order = await loadOrder(container, input.orderId)
  const { payment, manualId } = pickPayment(order, body)
  const summary = paymentSummary(payment)
  if (compareDecimal(summary.captured, "0") <= 0) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The CoinGate payment is not captured: there is nothing to refund.")
  // Paying a Medusa refund by hand: what is still owed on it (CoinGate money no Medusa row records pays part of it).
  const manualAmount = manualId ? owedOn(await capMoneyOf(container, payment), manualId, refundAmountOf(payment, manualId)) : null

  if (manualAmount !== null && compareDecimal(manualAmount, "0") <= 0) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Nothing is left to pay on refund ${manualId}: CoinGate already sent that money (a refund or payout Medusa could not record).`)
  }
  const validated = validateRefundInput(body, { currencyCode: payment.currency_code, refundable: manualAmount ?? summary.refundable })
  if (!validated.ok) throw new MedusaError(MedusaError.Types.INVALID_DATA, validated.errors.join(" "))
  const form = validated.value
  if (manualAmount && compareDecimal(form.amount, manualAmount) !== 0) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `amount must be the refund's: ${manualAmount} ${summary.currency}.`)
  }
  if (manualId) await refuseSettled(container, manualId)
  const coingateOrderId = payment.data?.coingate_order_id
  if (!coingateOrderId) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The CoinGate payment has no CoinGate order id.")
  const email = form.email ?? order.email ?? undefined
  if (!email) throw new MedusaError(MedusaError.Types.INVALID_DATA, "email is required: the order has none (CoinGate emails the shopper about the refund).")

  const gateway = coingateGateway(container, payment.provider_id)
  let ledgerAccountId = form.ledger_account_id ?? gateway.refunds.configuredLedgerAccountId
  if (!ledgerAccountId) {
    const record = await findRecord(container, { coingateOrderId: String(coingateOrderId) })
    let receive = (record?.snapshot as CoinGateOrder | null)?.receive_currency ?? null
    if (!receive) receive = (await gateway.readOrder(coingateOrderId)).receive_currency ?? null
    ledgerAccountId = pickLedgerAccount(await gateway.refunds.ledgerAccounts(), { currency: receive })?.id
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
    amountCurrencyId = (await gateway.refunds.currencyIdOf(payment.currency_code)) ?? undefined
    if (!amountCurrencyId) throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate does not list the currency ${payment.currency_code.toUpperCase()}.`)
    const address = order.billing_address ?? order.shipping_address ?? {}
    const country = (form.beneficiary?.country || address.country_code || "").toUpperCase()
    beneficiary = {
      first_name: form.beneficiary?.first_name || address.first_name || "",
      last_name: form.beneficiary?.last_name || address.last_name || "",
      country: country ? (await alpha3Country(container, country)) ?? "" : "",
    }
    if (!beneficiary.first_name || !beneficiary.last_name || !country) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "A payout needs the shopper's first name, last name and country (CoinGate's beneficiary): the order's address has none; give beneficiary.first_name, last_name and country."
      )
    }
    // CoinGate takes alpha-3 (LTU); Medusa's country table turns the address's alpha-2 into it.
    if (!beneficiary.country) throw new MedusaError(MedusaError.Types.INVALID_DATA, `beneficiary.country ${country.slice(0, 3)} is not an ISO country code Medusa knows (LT or LTU).`)
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
  }

  const key = form.idempotency_key ?? null
  const fingerprint = intentFingerprint([payment.id, manualId, form.method, form.amount, form.address, form.address_memo, form.currency_id, form.platform_id])

  // One refund at a time per payment: the replay check, the caps and the CoinGate call see the same state.
  return lockOf(container).execute(
    `coingate:refund-payment:${payment.id}`,
    async () => {
      // What CoinGate made for earlier requests whose answer was lost is known before anything new is asked.
      await resolvePaymentIntents(container, payment.id)
      const earlier = await earlierIntent(container, { key, paymentId: payment.id, fingerprint })
      if (earlier && earlier.state !== "failed") return replay(container, earlier)
      await checkCaps(container, order.id, payment.id, form.amount, manualId)
      if (manualId) await refuseSettled(container, manualId)

      const fields = {
        fingerprint,
        purpose: manualId ? ("settle" as const) : ("new" as const),
        kind: form.method,
        payment_id: payment.id,
        provider_id: payment.provider_id,
        order_id: order.id,
        medusa_refund_id: manualId,
        amount: form.amount,
        currency_code: summary.currency,
        requested_by: input.actorId ?? null,
        // What was asked, kept so that a lost answer can be resolved (and recorded) from CoinGate's lists.
        request,
        sent_at: new Date(),
      }
      // The same form sent again after CoinGate proved it made nothing: the same intent, tried again.
      const intent = earlier
        ? (await updateIntent(container, earlier.id, { ...fields, state: "requested", error: null }), earlier)
        : await createIntent(container, { key: key ?? randomUUID(), ...fields })
      let entry: CoinGateRefundEntry
      try {
        entry = await gateway.refunds.send(request, { intentId: intent.id, medusaRefundId: manualId })
      } catch (e) {
        await updateIntent(container, intent.id, { state: stateAfterError(e), error: String((e as any)?.message ?? e).slice(0, 500) })
        throw e
      }
      let record = await recordFromEntry(container, { entry, providerId: payment.provider_id, paymentId: payment.id, orderId: order.id, requestedBy: input.actorId ?? null })
      await updateIntent(container, intent.id, { state: "sent", refund_record_id: record.id })
      // A new refund: now that CoinGate made it, Medusa records it (the order's totals).
      if (!manualId) record = await recordInMedusa(container, { record, intent: { id: intent.id, requested_by: input.actorId ?? null } })
      return { record, medusa_refund_id: record.medusa_refund_id }
    },
    { timeout: 60 }
  )
}

/**
 * The one cap (src/refunds/rules/cap.ts), from Medusa's rows, the plugin's records and intents, read again inside the lock.
 * Paying a Medusa refund by hand: what is owed on it depends on every earlier refund's outcome (CoinGate money no
 * Medusa row records pays part of it), so it waits until none is unknown, and the amount must be what is owed now.
 */
async function checkCaps(container: MedusaContainer, orderId: string, paymentId: string, amount: string, manualId: string | null) {
  const payment = await loadCoinGatePayment(container, orderId, paymentId)
  if (!payment) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment ${paymentId} was not found.`)
  const money = await capMoneyOf(container, payment)
  if (manualId) {
    if (money.pending.some((p) => !p.medusa_refund_id)) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `What is still owed on refund ${manualId} depends on an earlier refund or payout of this payment whose outcome is not known yet: "Check CoinGate" first (it is also checked automatically).`
      )
    }
    const owed = owedOn(money, manualId, refundAmountOf(payment, manualId))
    if (owed !== null && compareDecimal(amount, owed) !== 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, `amount must be the refund's: ${owed} ${money.currencyCode.toUpperCase()}.`)
  }
  const error = capError(money, { amount, purpose: manualId ? "settle" : "new", medusaRefundId: manualId })
  if (error) throw new MedusaError(MedusaError.Types.INVALID_DATA, error)
}

/** A Medusa refund is paid through CoinGate once: not when a record or an unsettled intent already pays it. */
async function refuseSettled(container: MedusaContainer, medusaRefundId: string) {
  const record = await findRefundRecord(container, { medusaRefundId })
  if (record) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Refund ${medusaRefundId} was already paid through CoinGate (${record.kind === "refund" ? "refund" : "send request"} ${record.coingate_id}).`)
  }
  const pending = (await listIntents(container, { medusa_refund_id: medusaRefundId })).find((i) => i.state === "requested" || i.state === "unknown")
  if (pending) refuseUnsettled(pending)
}

/** A repeated submit: the first one's record when it was sent; 409 while it is in flight or its outcome unknown. */
async function replay(container: MedusaContainer, earlier: RefundIntent): Promise<StartRefundResult> {
  if (earlier.state === "sent" && earlier.refund_record_id) {
    const [record] = await listRefundRecords(container, { id: earlier.refund_record_id })
    if (record) return { record, medusa_refund_id: record.medusa_refund_id, replayed: true }
  }
  refuseUnsettled(earlier)
}

/** What is still owed on Medusa refund `id` (its full amount when nothing of the plugin's pays it). */
function owedOn(money: CapMoney, id: string, full: string | null): string | null {
  if (full === null) return null
  return owedMedusaRefunds(money).find((o) => o.id === id)?.owed ?? full
}
