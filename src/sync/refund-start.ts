import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { randomUUID } from "crypto"
import type { CoinGateOrder } from "../lib/coingate-types"
import { CoinGateRefundRequest, compareDecimal, pickLedgerAccount, REFUND_REQUEST_TTL_MS, validateRefundInput } from "../lib/refunds"
import { coingateProvider } from "./provider"
import { findRecord } from "./records"
import { coingatePayments, loadOrder, manualRefundsOf, PaymentRow, paymentSummary, refundEntriesOf } from "./refund-orders"
import { CoinGateRefundRecord, lockOf, recordFromEntry } from "./refund-records"

/** The admin's refund form: asking CoinGate for a refund or payout of an order's CoinGate payment. */

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
    manualRefundsOf(p.data).find((m) => m?.medusa_refund_id === manualId)
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
        const manuals = manualRefundsOf(current).map((m) =>
          m?.medusa_refund_id === manualId ? { ...m, settled_by: `${entry.kind === "refund" ? "refund" : "send request"} ${entry.coingate_id}`, settled_at: new Date().toISOString() } : m
        )
        const refunds = [...refundEntriesOf(current), entry]
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
  const entry = refundEntriesOf(data).find((e) => e?.request_id === request.id)
  if (!entry) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Medusa recorded the refund but the CoinGate provider did not make it; see the manual refunds of this order.")
  }
  const record = await recordFromEntry(container, { entry, providerId: payment.provider_id, paymentId: payment.id, orderId: order.id, requestedBy: input.actorId ?? null })
  return { record, medusa_refund_id: entry.medusa_refund_id }
}
