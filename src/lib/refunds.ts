import { currencyDigits } from "./amounts"
import type {
  CoinGateCurrency,
  CoinGateLedgerAccount,
  CoinGateRefund,
  CoinGateSendRequest,
  CurrencyRef,
} from "./refund-types"

/**
 * Pure rules of refunds and payouts (docs/refunds.md): validating what the admin asks, the request the
 * admin route leaves in `payment.data` for the provider, what each CoinGate status means, what is kept
 * of CoinGate's objects, and comparing an order's refunds with the ones Medusa made.
 */

export type RefundKind = "refund" | "payout"
export type RefundMethod = RefundKind

/** What the admin route leaves in `payment.data.coingate_refund_request` for the provider's `refundPayment`. */
export type CoinGateRefundRequest = {
  /** Random id tying the request to the entry the provider appends (`coingate_refunds[].request_id`). */
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
  /** Payouts: who the beneficiary is (CoinGate requires a person's name and country). */
  beneficiary?: { first_name: string; last_name: string; country: string }
  requested_by?: string | null
  requested_at: string
  /** The provider ignores a request older than this (a refund Medusa starts on its own later must not use it). */
  expires_at: string
}

/** What the provider appends to `payment.data.coingate_refunds` for each refund or payout it asked CoinGate for. */
export type CoinGateRefundEntry = {
  kind: RefundKind
  request_id: string
  medusa_refund_id: string
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

/** What the provider appends to `payment.data.coingate_manual_refunds` when Medusa refunds on its own. */
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
  beneficiary?: { first_name?: string; last_name?: string; country?: string }
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] }

const str = (v: unknown): string | undefined => (typeof v === "string" ? v.trim() : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined)

function positiveInt(v: unknown): number | undefined {
  const s = str(v)
  return s && /^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : undefined
}

/**
 * An amount given by a person in `currencyCode`, exactly: a plain decimal with at most the currency's
 * digits ("10.5" and "10.50" are fine in EUR, "10.505" is not; JPY takes no decimals). Returns the
 * amount in the currency's precision ("10.50") or null.
 */
export function parseExactAmount(value: unknown, currencyCode: string): string | null {
  const s = str(value)
  if (!s || !/^\d{1,15}(\.\d{1,12})?$/.test(s)) return null
  const digits = currencyDigits(currencyCode)
  const [int, frac = ""] = s.split(".")
  const significant = frac.replace(/0+$/, "")
  if (significant.length > digits) return null
  const normalizedInt = int.replace(/^0+(?=\d)/, "")
  return digits === 0 ? normalizedInt : `${normalizedInt}.${frac.padEnd(digits, "0").slice(0, digits)}`
}

/** Compares two decimal strings exactly. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [ai, af = ""] = a.split(".")
  const [bi, bf = ""] = b.split(".")
  const len = Math.max(af.length, bf.length)
  const x = BigInt(ai + af.padEnd(len, "0"))
  const y = BigInt(bi + bf.padEnd(len, "0"))
  return x < y ? -1 : x > y ? 1 : 0
}

/** a − b for decimal strings, in `digits` decimals (never below zero is not enforced). */
export function subtractDecimal(a: string, b: string, digits: number): string {
  const scale = (s: string) => {
    const [i, f = ""] = s.split(".")
    return BigInt(i.replace("-", "") + f.padEnd(digits, "0").slice(0, digits)) * (s.startsWith("-") ? -1n : 1n)
  }
  const v = scale(a) - scale(b)
  const neg = v < 0n
  const abs = (neg ? -v : v).toString().padStart(digits + 1, "0")
  const out = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`
  return neg ? `-${out}` : out
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

  const method = str(b.method) ?? "refund"
  if (method !== "refund" && method !== "payout") errors.push('method must be "refund" or "payout".')

  const address = str(b.address)
  if (!address) errors.push("address (the shopper's crypto address) is required.")
  else if (address.length > 200 || /\s/.test(address)) errors.push("address must be a single crypto address without spaces.")
  const memo = str(b.address_memo)
  if (memo && memo.length > 200) errors.push("address_memo is too long.")

  const currencyId = positiveInt(b.currency_id)
  if (currencyId === undefined) errors.push("currency_id (CoinGate's id of the coin) is required.")
  const platformId = positiveInt(b.platform_id)
  if (platformId === undefined) errors.push("platform_id (CoinGate's id of the network) is required.")

  const email = str(b.email)
  if (email && !EMAIL.test(email)) errors.push("email is not a valid address.")
  const reason = str(b.reason)
  if (!reason) errors.push("reason is required (CoinGate shows it to the shopper).")
  else if (reason.length > 500) errors.push("reason is at most 500 characters.")

  const ledger = str(b.ledger_account_id)
  if (ledger && !/^[A-Za-z0-9_-]{1,64}$/.test(ledger)) errors.push("ledger_account_id is not a CoinGate ledger account id.")
  const paymentId = str(b.payment_id)
  if (paymentId && !/^[A-Za-z0-9_-]{1,100}$/.test(paymentId)) errors.push("payment_id is not a Medusa payment id.")
  const manualId = str(b.manual_refund_id)
  if (manualId && !/^[A-Za-z0-9_-]{1,100}$/.test(manualId)) errors.push("manual_refund_id is not a Medusa refund id.")

  let beneficiary: RefundInput["beneficiary"]
  if (b.beneficiary !== undefined && b.beneficiary !== null) {
    const raw = typeof b.beneficiary === "object" ? (b.beneficiary as Record<string, unknown>) : {}
    beneficiary = { first_name: str(raw.first_name), last_name: str(raw.last_name), country: str(raw.country)?.toUpperCase() }
    if (beneficiary.country && !/^[A-Z]{2}$/.test(beneficiary.country)) errors.push("beneficiary.country must be a two-letter country code.")
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
      ...(beneficiary ? { beneficiary } : {}),
    },
  }
}

/** How long the provider accepts a request left by the admin route. */
export const REFUND_REQUEST_TTL_MS = 5 * 60_000

/**
 * Whether the provider may act on the request it finds in `payment.data` for a refund of `amount`: it
 * must be fresh and be for exactly that amount. Anything else is a refund Medusa started on its own.
 */
export function isUsableRequest(request: unknown, amount: string, now: Date): request is CoinGateRefundRequest {
  if (!request || typeof request !== "object") return false
  const r = request as Partial<CoinGateRefundRequest>
  if (typeof r.id !== "string" || (r.method !== "refund" && r.method !== "payout") || typeof r.amount !== "string") return false
  const expires = Date.parse(String(r.expires_at ?? ""))
  if (!Number.isFinite(expires) || expires < now.getTime()) return false
  try {
    return compareDecimal(r.amount, amount) === 0
  } catch {
    return false
  }
}

/** The note of a refund Medusa made on its own (order canceled, cart completion rolled back, Medusa's Refund button). */
export function manualRefundNote(amount: string, currencyCode: string, staleRequest: boolean): string {
  return (
    `Medusa recorded a refund of ${amount} ${currencyCode.toUpperCase()} on this CoinGate payment without going through CoinGate ` +
    "(an order canceled after payment, a checkout rolled back, or Medusa's own Refund button)" +
    (staleRequest ? "; a refund form request was pending but did not match it" : "") +
    ". Nothing was sent to the shopper: refund them from the CoinGate dashboard (Merchant > Orders > Refund), " +
    "or ask the shopper for an address and use \"Pay through CoinGate\" on the order's CoinGate refunds card."
  )
}

// ---------------------------------------------------------------------------------------------------
// Statuses

export type RefundOutcome = "open" | "sent" | "not_sent"

const REFUND_OUTCOMES: Record<string, RefundOutcome> = {
  pending: "open",
  processing: "open",
  completed: "sent",
  rejected: "not_sent",
}

const PAYOUT_OUTCOMES: Record<string, RefundOutcome> = {
  draft: "open",
  in_progress: "open",
  processing: "open",
  completed: "sent",
  failed: "not_sent",
  expired: "not_sent",
  canceled: "not_sent",
}

/** Whether a CoinGate refund or send request status is one of CoinGate's. */
export function isKnownStatus(kind: RefundKind, status: unknown): status is string {
  return typeof status === "string" && (kind === "refund" ? status in REFUND_OUTCOMES : status in PAYOUT_OUTCOMES)
}

/** open (CoinGate still working or waiting for someone), sent (the money left) or not_sent (final, nothing sent). */
export function outcomeOf(kind: RefundKind, status: string): RefundOutcome {
  return (kind === "refund" ? REFUND_OUTCOMES : PAYOUT_OUTCOMES)[status] ?? "open"
}

export const isFinalStatus = (kind: RefundKind, status: string) => outcomeOf(kind, status) !== "open"

/**
 * Whether to move a record from `current` to `next`. CoinGate's final statuses never change, so a final
 * status is kept against a later read that says otherwise (a stale replica, a reordered callback).
 */
export function shouldMoveTo(kind: RefundKind, current: string | null | undefined, next: string): boolean {
  if (!isKnownStatus(kind, next)) return false
  if (!current || current === next) return current !== next
  return !isFinalStatus(kind, current)
}

/** A person must look at a refund or payout that ended without sending anything. */
export function attentionForOutcome(
  kind: RefundKind,
  status: string,
  ctx: { amount: string; currencyCode: string; rejectionReason?: string | null; exchangeNote?: string | null }
): { reason: string; note: string } | null {
  if (outcomeOf(kind, status) !== "not_sent") return null
  const what = `${ctx.amount} ${ctx.currencyCode.toUpperCase()}`
  if (kind === "refund") {
    return {
      reason: "refund_rejected",
      note:
        `CoinGate rejected the refund of ${what}${ctx.rejectionReason ? `: ${ctx.rejectionReason.trim().replace(/\.+$/, "")}` : ""}. ` +
        "Medusa still counts it as refunded, but nothing was sent: refund again (another address or coin) or settle with the shopper.",
    }
  }
  const why: Record<string, string> = {
    failed: "the network rejected the transaction",
    expired: "it was not confirmed in time (an exchange within a minute, or the 2FA within 30 days)",
    canceled: ctx.exchangeNote ?? "CoinGate canceled it (compliance)",
  }
  return {
    reason: "payout_not_sent",
    note: `The payout of ${what} ended ${status}: ${why[status] ?? status}. Medusa still counts it as refunded, but nothing was sent: pay the shopper again.`,
  }
}

/** What to do about a send request's `actions_required` (an exchange to confirm within a minute). */
export function exchangeDecision(request: Pick<CoinGateSendRequest, "status" | "actions_required">, autoConfirm: boolean): "confirm" | "cancel" | null {
  const actions = request.actions_required
  if (!actions || typeof actions !== "object" || (!actions.confirm && !actions.cancel)) return null
  if (request.status !== "draft") return null
  return autoConfirm ? "confirm" : "cancel"
}

export const EXCHANGE_CANCELED_NOTE =
  "CoinGate asked to confirm a currency exchange (the coin sent differs from the ledger account's currency) and the " +
  "option autoConfirmPayoutExchange is off, so the plugin canceled it. Pay out from a ledger account in that coin, or enable the option."

// ---------------------------------------------------------------------------------------------------
// Snapshots: what is kept of CoinGate's objects (never the callback URL: it holds the callback token).

const currencyOf = (c: CurrencyRef | undefined | null) =>
  c && typeof c === "object" ? { id: c.id ?? null, symbol: c.symbol ?? null, title: c.title ?? null } : null

const money = (m: unknown) => {
  const f = m as { amount?: unknown; currency?: CurrencyRef } | undefined
  return f && typeof f === "object" ? { amount: f.amount === undefined || f.amount === null ? null : String(f.amount), currency: currencyOf(f.currency)?.symbol ?? null } : null
}

const txs = (list: unknown) =>
  (Array.isArray(list) ? list : []).map((t: any) => ({
    txid: t?.txid ? String(t.txid) : null,
    amount: t?.amount === undefined || t?.amount === null ? null : String(t.amount),
    status: t?.status ? String(t.status) : null,
    confirmations: typeof t?.network_confirmations === "number" ? t.network_confirmations : t?.network_confirmations ? Number(t.network_confirmations) : null,
  }))

const s = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v))

const bool = (v: unknown) => v === true || v === "true" || v === "1"

export function refundSnapshot(r: CoinGateRefund): Record<string, unknown> {
  return {
    id: r.id,
    status: s(r.status),
    request_amount: s(r.request_amount),
    refund_amount: s(r.refund_amount),
    refund_currency: currencyOf(r.refund_currency)?.symbol ?? null,
    network: s(r.refund_currency?.platform?.title),
    address: s(r.address),
    memo: s(r.memo),
    balance_debit_amount: s(r.balance_debit_amount),
    balance_debit_currency: currencyOf(r.balance_debit_currency)?.symbol ?? null,
    fees: Object.fromEntries(Object.entries(r.fees && typeof r.fees === "object" ? r.fees : {}).map(([k, v]) => [k, money(v)])),
    transactions: txs(r.transactions),
    ledger_account_id: s(r.ledger_account?.id),
    rejection_type: s(r.rejection_type),
    rejection_reason: s(r.rejection_reason ?? r.compliance_rejection_reason),
    created_at: s(r.created_at),
    updated_at: s(r.updated_at),
  }
}

export function sendRequestSnapshot(r: CoinGateSendRequest): Record<string, unknown> {
  const setting = r.beneficiary_payout_setting
  return {
    id: r.id,
    status: s(r.status),
    external_id: s(r.external_id),
    purpose: s(r.purpose),
    input_amount: s(r.input_amount),
    input_currency: currencyOf(r.input_currency)?.symbol ?? null,
    sending_amount: s(r.sending_amount),
    sending_currency: currencyOf(r.sending_currency)?.symbol ?? null,
    input_to_sending_rate: s(r.input_to_sending_rate),
    sending_to_balance_debit_rate: s(r.sending_to_balance_debit_rate),
    balance_debit_amount: s(r.balance_debit_amount),
    balance_debit_currency: currencyOf(r.balance_debit_currency)?.symbol ?? null,
    ledger_account_id: s(r.ledger_account?.id),
    beneficiary_payout_setting: setting
      ? {
          id: setting.id ?? null,
          beneficiary_id: setting.beneficiary_id ?? null,
          crypto_address: s(setting.crypto_address),
          crypto_address_metadata: s(setting.crypto_address_metadata),
          currency: currencyOf(setting.currency)?.symbol ?? null,
          network: s(setting.platform?.title),
        }
      : null,
    fees: Object.fromEntries(Object.entries(r.fees && typeof r.fees === "object" ? r.fees : {}).map(([k, v]) => [k, money(v)])),
    blockchain_transactions: txs(r.blockchain_transactions),
    actions_required: r.actions_required && typeof r.actions_required === "object" ? { confirm: !!r.actions_required.confirm, cancel: !!r.actions_required.cancel } : null,
    requires_2fa_confirmation: bool(r.requires_2fa_confirmation),
    created_at: s(r.created_at),
  }
}

// ---------------------------------------------------------------------------------------------------
// Options for the admin form

export type RefundCoin = { id: number; symbol: string; title: string; platforms: { id: number; title: string }[] }

/** CoinGate's supported-currencies answer (an array, or an object holding one) as coins with networks. */
export function normalizeRefundCurrencies(answer: unknown): RefundCoin[] {
  const list: unknown[] = Array.isArray(answer)
    ? answer
    : answer && typeof answer === "object"
      ? ((Object.values(answer as Record<string, unknown>).find(Array.isArray) as unknown[] | undefined) ?? [])
      : []
  const coins: RefundCoin[] = []
  for (const raw of list) {
    const c = raw as CoinGateCurrency
    if (!c || typeof c !== "object" || typeof c.id !== "number" || typeof c.symbol !== "string") continue
    if (c.kind && c.kind !== "crypto") continue
    const platforms = (Array.isArray(c.platforms) ? c.platforms : [])
      .filter((p) => p && typeof p.id === "number" && p.enabled !== false)
      .map((p) => ({ id: p.id, title: String(p.title ?? p.id_name ?? p.id) }))
    if (platforms.length) coins.push({ id: c.id, symbol: c.symbol.toUpperCase(), title: String(c.title ?? c.symbol), platforms })
  }
  return coins
}

/** The ledger account to pay from: the configured one, else the active account in `currency` (main first). */
export function pickLedgerAccount(accounts: CoinGateLedgerAccount[], opts: { configured?: string; currency?: string | null }): CoinGateLedgerAccount | null {
  if (opts.configured) return accounts.find((a) => a.id === opts.configured) ?? ({ id: opts.configured } as CoinGateLedgerAccount)
  const wanted = opts.currency?.toUpperCase()
  if (!wanted || wanted === "DO_NOT_CONVERT") return null
  const matching = accounts.filter((a) => a.currency?.symbol?.toUpperCase() === wanted && (a.status ?? "active") === "active")
  return matching.find((a) => a.account_type === "main") ?? matching[0] ?? null
}

// ---------------------------------------------------------------------------------------------------
// Reconciling an order's refunds with the ones Medusa made

/** How long a just-created pending refund unknown to the plugin is given before it is flagged. */
export const FRESH_REFUND_GRACE_MS = 2 * 60_000

/**
 * CoinGate refunds of an order (`refunds[]` of the order read from the API) that Medusa did not make:
 * their ids are not among `known` (the CoinGate refund ids of the plugin's records).
 */
export function refundsOutsideMedusa(
  orderRefunds: unknown,
  known: Iterable<string>,
  { now = new Date(), graceMs = FRESH_REFUND_GRACE_MS }: { now?: Date; graceMs?: number } = {}
): Array<{ id: string; amount: string | null; status: string | null }> {
  const knownIds = new Set([...known].map(String))
  // A refund Medusa is making right now is at CoinGate a moment before the plugin records it:
  // a refund still pending and only just created is not flagged yet (a later read will).
  const fresh = (r: any) => r?.status === "pending" && now.getTime() - Date.parse(String(r?.created_at ?? "")) < graceMs
  return (Array.isArray(orderRefunds) ? orderRefunds : [])
    .filter((r: any) => r && (typeof r.id === "number" || typeof r.id === "string") && !knownIds.has(String(r.id)) && !fresh(r))
    .map((r: any) => ({ id: String(r.id), amount: s(r.request_amount ?? r.amount), status: s(r.status) }))
}

/**
 * Whether a CoinGate order says it was refunded in a way Medusa does not know: refunds in its list that no
 * record names, or a refunded status with no refund listed and none made through Medusa.
 */
export function refundMismatch(
  order: { id: number | string; status: string; price_currency?: string; refunds?: unknown },
  known: string[],
  opts: { now?: Date; graceMs?: number } = {}
): { reason: "refund_outside_medusa"; note: string } | null {
  const outside = refundsOutsideMedusa(order.refunds, known, opts)
  const refundedStatus = order.status === "refunded" || order.status === "partially_refunded"
  const listed = Array.isArray(order.refunds) ? order.refunds.length : 0
  if (outside.length) {
    const list = outside.map((r) => `#${r.id}${r.amount ? ` (${r.amount} ${order.price_currency ?? ""}`.trimEnd() + ")" : ""}${r.status ? ` ${r.status}` : ""}`).join(", ")
    return {
      reason: "refund_outside_medusa",
      note:
        `CoinGate order ${order.id} has refund${outside.length > 1 ? "s" : ""} ${list} that Medusa did not make (refunded in the CoinGate dashboard?). ` +
        "Medusa's order totals do not include them: record the refund in Medusa if it stands.",
    }
  }
  if (refundedStatus && listed === 0 && known.length === 0) {
    return {
      reason: "refund_outside_medusa",
      note: `CoinGate says order ${order.id} is ${order.status}, but Medusa made no refund through CoinGate. Check the CoinGate dashboard and record the refund in Medusa.`,
    }
  }
  return null
}
