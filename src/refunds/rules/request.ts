import { currencyDigits } from "../../shared/amounts"
import { compareDecimal } from "../../shared/decimal"
import { formText, parseExactAmount } from "../../shared/amounts"
import { COUNTRY_INPUT } from "./beneficiary"

/**
 * The admin's refund request (docs/refunds.md): what the refund form may contain, the request the admin
 * route hands the provider (in process, never through payment data), and what the provider answers.
 */

export type RefundKind = "refund" | "payout"
export type RefundMethod = RefundKind

/** What the admin route asks CoinGate for (`CoinGateRefunds.send`), kept on the intent: built by server code only. */
export type CoinGateRefundRequest = {
  /** Random id of the request, kept in the entry the provider answers (`request_id`). */
  id: string
  method: RefundMethod
  /** In the order currency, exact, as a decimal string in that currency's precision ("10.50"). */
  amount: string
  currency_code: string
  coingate_order_id: string
  address: string
  address_memo?: string
  currency_id: number
  platform_id: number
  email: string
  reason: string
  ledger_account_id: string
  /** Payouts: CoinGate's id of the order currency (`amount_currency_id`). */
  amount_currency_id?: number
  /**
   * Payouts: who the beneficiary is (CoinGate requires a person's name and country). `country` is the
   * ISO alpha-3 code CoinGate takes (`LTU`), resolved from what the form or the address gave.
   */
  beneficiary?: { first_name: string; last_name: string; country: string }
  requested_by?: string | null
  requested_at: string
}

/** What the provider answers for each refund or payout it asked CoinGate for; the admin route makes a `coingate_refund` record of it. */
export type CoinGateRefundEntry = {
  kind: RefundKind
  request_id: string
  /** The admin intent it was made for (callback token, external_id). */
  intent_id: string
  /** The Medusa refund it pays: known at once when paying a refund Medusa made on its own; else set once Medusa records it. */
  medusa_refund_id: string | null
  /** The CoinGate refund id or send request id. */
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
  email: string
  reason: string
  ledger_account_id: string
  status: string
  beneficiary_id?: string | null
  beneficiary_payout_setting_id?: string | null
  /** Payouts: what was done about a currency exchange CoinGate asked to confirm. */
  exchange?: { decision: "confirmed" | "canceled" | "failed"; at: string; note: string } | null
  snapshot: Record<string, unknown>
  requested_at: string
  created_at: string
}

/** A refund Medusa made on its own (a Medusa refund row with no CoinGate refund), as the admin sees it. */
export type ManualRefundEntry = {
  medusa_refund_id: string | null
  amount: string
  currency_code: string
  at: string
  note: string
  /** Set once the merchant paid it through CoinGate from the refund form (the CoinGate refund or send request id). */
  settled_by?: string | null
  settled_at?: string | null
}

export type RefundInput = {
  amount: string
  address: string
  address_memo?: string
  currency_id: number
  platform_id: number
  email?: string
  reason: string
  method: RefundMethod
  ledger_account_id?: string
  payment_id?: string
  /** Pay this manual refund (a Medusa refund made without CoinGate) instead of making a new Medusa refund. */
  manual_refund_id?: string
  /** One per form opened: the same key sent twice is one refund (a double click, a retried request). */
  idempotency_key?: string
  beneficiary?: { first_name?: string; last_name?: string; country?: string }
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] }

function positiveInt(v: unknown): number | undefined {
  const s = formText(v)
  return s && /^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : undefined
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/**
 * Validates the admin's refund form. `refundable` is what may still be refunded on the payment (captured
 * minus refunded), in the order currency's precision.
 */
export function validateRefundInput(body: unknown, ctx: { currencyCode: string; refundable: string }): Validated<RefundInput> {
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>
  const errors: string[] = []
  const currency = ctx.currencyCode.toUpperCase()

  const amount = parseExactAmount(b.amount, ctx.currencyCode)
  if (b.amount === undefined || b.amount === null || b.amount === "") errors.push("amount is required.")
  else if (amount === null) {
    errors.push(`amount must be a plain decimal in ${currency} with at most ${currencyDigits(ctx.currencyCode)} decimals (e.g. "10.50").`)
  } else if (compareDecimal(amount, "0") <= 0) errors.push("amount must be greater than 0.")
  else if (compareDecimal(amount, ctx.refundable) > 0) errors.push(`amount is more than what can still be refunded (${ctx.refundable} ${currency}).`)

  const method = formText(b.method) ?? "refund"
  if (method !== "refund" && method !== "payout") errors.push('method must be "refund" or "payout".')

  const address = formText(b.address)
  if (!address) errors.push("address (the shopper's crypto address) is required.")
  else if (address.length > 200 || /\s/.test(address)) errors.push("address must be a single crypto address without spaces.")
  const memo = formText(b.address_memo)
  if (memo && memo.length > 200) errors.push("address_memo is too long.")

  const currencyId = positiveInt(b.currency_id)
  if (currencyId === undefined) errors.push("currency_id (CoinGate's id of the coin) is required.")
  const platformId = positiveInt(b.platform_id)
  if (platformId === undefined) errors.push("platform_id (CoinGate's id of the network) is required.")

  const email = formText(b.email)
  if (email && !EMAIL.test(email)) errors.push("email is not a valid address.")
  const reason = formText(b.reason)
  if (!reason) errors.push("reason is required (CoinGate shows it to the shopper).")
  else if (reason.length > 500) errors.push("reason is at most 500 characters.")

  const ledger = formText(b.ledger_account_id)
  if (ledger && !/^[A-Za-z0-9_-]{1,64}$/.test(ledger)) errors.push("ledger_account_id is not a CoinGate ledger account id.")
  const paymentId = formText(b.payment_id)
  if (paymentId && !/^[A-Za-z0-9_-]{1,100}$/.test(paymentId)) errors.push("payment_id is not a Medusa payment id.")
  const manualId = formText(b.manual_refund_id)
  if (manualId && !/^[A-Za-z0-9_-]{1,100}$/.test(manualId)) errors.push("manual_refund_id is not a Medusa refund id.")
  const idempotencyKey = formText(b.idempotency_key)
  if (idempotencyKey && !/^[A-Za-z0-9_-]{8,100}$/.test(idempotencyKey)) errors.push("idempotency_key must be 8 to 100 letters, digits, - or _.")

  let beneficiary: RefundInput["beneficiary"]
  if (b.beneficiary !== undefined && b.beneficiary !== null) {
    const raw = typeof b.beneficiary === "object" ? (b.beneficiary as Record<string, unknown>) : {}
    beneficiary = { first_name: formText(raw.first_name), last_name: formText(raw.last_name), country: formText(raw.country)?.toUpperCase() }
    // Medusa's addresses hold alpha-2 (LT); CoinGate wants alpha-3 (LTU): either is taken here and
    // resolved to alpha-3 from Medusa's country table (src/refunds/countries.ts).
    if (beneficiary.country && !COUNTRY_INPUT.test(beneficiary.country)) errors.push("beneficiary.country must be an ISO country code: two letters (LT) or three (LTU).")
  }

  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: {
      amount: amount!,
      address: address!,
      ...(memo ? { address_memo: memo } : {}),
      currency_id: currencyId!,
      platform_id: platformId!,
      ...(email ? { email } : {}),
      reason: reason!,
      method: method as RefundMethod,
      ...(ledger ? { ledger_account_id: ledger } : {}),
      ...(paymentId ? { payment_id: paymentId } : {}),
      ...(manualId ? { manual_refund_id: manualId } : {}),
      ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
      ...(beneficiary ? { beneficiary } : {}),
    },
  }
}

/** The note of a refund Medusa made on its own (order canceled, cart completion rolled back, Medusa's Refund button). */
export function manualRefundNote(amount: string, currencyCode: string): string {
  return (
    `Medusa recorded a refund of ${amount} ${currencyCode.toUpperCase()} on this CoinGate payment without going through CoinGate ` +
    "(an order canceled after payment, a checkout rolled back, or Medusa's own Refund button)" +
    ". Nothing was sent to the shopper: refund them from the CoinGate dashboard (Merchant > Orders > Refund), " +
    "or ask the shopper for an address and use \"Pay through CoinGate\" on the order's CoinGate refunds card."
  )
}
