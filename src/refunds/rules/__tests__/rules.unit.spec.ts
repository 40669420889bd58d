import { isValidRefundToken, refundTokenFor } from "../../../coingate/callback-token"
import { resolveOptions } from "../../../shared/options"
import { attentionForOutcome, exchangeDecision, isFinalStatus, outcomeOf, shouldMoveTo } from "../status"
import { compareDecimal, subtractDecimal } from "../../../shared/decimal"
import { parseExactAmount } from "../../../shared/amounts"
import { normalizeRefundCurrencies, pickLedgerAccount } from "../form-options"
import { refundMismatch, refundsOutsideMedusa } from "../mismatch"
import { refundSnapshot, sendRequestSnapshot } from "../snapshots"
import { validateRefundInput } from "../request"

const key = Buffer.alloc(32, 7)

describe("refund callback tokens", () => {
  it("derive per kind and reference, and are checked in constant time", () => {
    const t = refundTokenFor(key, "refund", "ref_01")
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(isValidRefundToken(key, "refund", "ref_01", t)).toBe(true)
    expect(isValidRefundToken(key, "refund", "ref_01", ` ${t} `)).toBe(true)
    expect(isValidRefundToken(key, "send_request", "ref_01", t)).toBe(false)
    expect(isValidRefundToken(key, "refund", "ref_02", t)).toBe(false)
    expect(isValidRefundToken(Buffer.alloc(32, 8), "refund", "ref_01", t)).toBe(false)
    expect(isValidRefundToken(key, "refund", "ref_01", t.slice(1))).toBe(false)
    expect(isValidRefundToken(key, "refund", "", t)).toBe(false)
    expect(isValidRefundToken(key, "refund", "ref_01", undefined)).toBe(false)
  })
})

describe("options", () => {
  const base = { apiToken: "t", backendUrl: "https://api.shop.example" }
  it("take a ledger account and the exchange confirmation switch", () => {
    expect(resolveOptions(base)).toMatchObject({ autoConfirmPayoutExchange: false, ledgerAccountId: undefined })
    expect(resolveOptions({ ...base, ledgerAccountId: "01JNQWKKJ6WXN8BZT1Y66B6G9H", autoConfirmPayoutExchange: true })).toMatchObject({
      ledgerAccountId: "01JNQWKKJ6WXN8BZT1Y66B6G9H",
      autoConfirmPayoutExchange: true,
    })
    expect(() => resolveOptions({ ...base, ledgerAccountId: "not a ulid!" })).toThrow(/ledgerAccountId/)
    expect(() => resolveOptions({ ...base, autoConfirmPayoutExchange: "yes" })).toThrow(/autoConfirmPayoutExchange/)
  })
})

describe("amounts", () => {
  it("accept exact decimals in the currency's precision only", () => {
    expect(parseExactAmount("10.5", "eur")).toBe("10.50")
    expect(parseExactAmount("10.50", "EUR")).toBe("10.50")
    expect(parseExactAmount(10.5, "eur")).toBe("10.50")
    expect(parseExactAmount("10.500", "eur")).toBe("10.50")
    expect(parseExactAmount("10.505", "eur")).toBeNull()
    expect(parseExactAmount("1050", "jpy")).toBe("1050")
    expect(parseExactAmount("1050.5", "jpy")).toBeNull()
    expect(parseExactAmount("3.125", "kwd")).toBe("3.125")
    expect(parseExactAmount("007.1", "eur")).toBe("7.10")
    for (const bad of ["", "-1", "1e3", "1,5", " ", "abc", null, undefined, {}, "1.", ".5"]) expect(parseExactAmount(bad, "eur")).toBeNull()
  })

  it("compare and subtract exactly", () => {
    expect(compareDecimal("10.50", "10.5")).toBe(0)
    expect(compareDecimal("10.49", "10.5")).toBe(-1)
    expect(compareDecimal("100", "99.99")).toBe(1)
    expect(subtractDecimal("10.50", "3.25", 2)).toBe("7.25")
    expect(subtractDecimal("3", "3.25", 2)).toBe("-0.25")
    expect(subtractDecimal("1050", "50", 0)).toBe("1000")
  })
})

describe("validateRefundInput", () => {
  const ok = { amount: "4.50", address: "bc1qxyz", currency_id: 1, platform_id: "2", reason: "Damaged", method: "refund" }
  const ctx = { currencyCode: "eur", refundable: "10.50" }

  it("normalizes a valid form", () => {
    const r = validateRefundInput({ ...ok, email: "a@b.co", address_memo: "memo", ledger_account_id: "01ABC", beneficiary: { country: "lt" } }, ctx)
    expect(r).toEqual({
      ok: true,
      value: {
        amount: "4.50",
        address: "bc1qxyz",
        address_memo: "memo",
        currency_id: 1,
        platform_id: 2,
        email: "a@b.co",
        reason: "Damaged",
        method: "refund",
        ledger_account_id: "01ABC",
        beneficiary: { first_name: undefined, last_name: undefined, country: "LT" },
      },
    })
    expect(validateRefundInput({ ...ok, method: undefined, amount: "10.5" }, ctx)).toMatchObject({ ok: true, value: { method: "refund", amount: "10.50" } })
  })

  it("refuses amounts that are not positive, inexact or above what can still be refunded", () => {
    const errors = (body: Record<string, unknown>) => (validateRefundInput(body, ctx) as any).errors?.join(" | ") ?? ""
    expect(errors({ ...ok, amount: "0" })).toMatch(/greater than 0/)
    expect(errors({ ...ok, amount: "10.51" })).toMatch(/more than what can still be refunded \(10.50 EUR\)/)
    expect(errors({ ...ok, amount: "1.005" })).toMatch(/at most 2 decimals/)
    expect(errors({ ...ok, amount: undefined })).toMatch(/amount is required/)
    expect(errors({ ...ok, method: "cash" })).toMatch(/method/)
    expect(errors({ ...ok, address: "two words" })).toMatch(/address/)
    expect(errors({ ...ok, currency_id: "x", platform_id: 0 })).toMatch(/currency_id.*\| platform_id/)
    expect(errors({ ...ok, reason: "" })).toMatch(/reason/)
    expect(errors({ ...ok, email: "nope" })).toMatch(/email/)
    expect(errors({ ...ok, beneficiary: { country: "Lithuania" } })).toMatch(/country/)
    expect(validateRefundInput(null, ctx).ok).toBe(false)
  })
})

describe("statuses", () => {
  it("say whether the money left, and never go back from a final status", () => {
    expect(["pending", "processing", "completed", "rejected"].map((s) => outcomeOf("refund", s))).toEqual(["open", "open", "sent", "not_sent"])
    expect(["draft", "in_progress", "processing", "completed", "failed", "expired", "canceled"].map((s) => outcomeOf("payout", s))).toEqual([
      "open",
      "open",
      "open",
      "sent",
      "not_sent",
      "not_sent",
      "not_sent",
    ])
    expect(isFinalStatus("refund", "rejected")).toBe(true)
    expect(shouldMoveTo("refund", "pending", "processing")).toBe(true)
    expect(shouldMoveTo("refund", "pending", "pending")).toBe(false)
    expect(shouldMoveTo("refund", "completed", "processing")).toBe(false)
    expect(shouldMoveTo("refund", "processing", "bogus")).toBe(false)
    expect(shouldMoveTo("payout", "draft", "in_progress")).toBe(true)
    expect(shouldMoveTo("payout", "canceled", "in_progress")).toBe(false)
    expect(shouldMoveTo("payout", null, "draft")).toBe(true)
  })

  it("ask a person to look when nothing was sent", () => {
    const ctx = { amount: "4.50", currencyCode: "eur" }
    expect(attentionForOutcome("refund", "completed", ctx)).toBeNull()
    expect(attentionForOutcome("refund", "rejected", { ...ctx, rejectionReason: "Address not confirmed" })).toEqual({
      reason: "refund_rejected",
      note: expect.stringContaining("CoinGate rejected the refund of 4.50 EUR: Address not confirmed."),
    })
    expect(attentionForOutcome("payout", "failed", ctx)!.note).toMatch(/network rejected/)
    expect(attentionForOutcome("payout", "canceled", { ...ctx, exchangeNote: "exchange canceled" })!.note).toMatch(/ended canceled: exchange canceled/)
    expect(attentionForOutcome("payout", "draft", ctx)).toBeNull()
  })

  it("answer an exchange only for a draft that asks", () => {
    const asks = { status: "draft", actions_required: { confirm: "u", cancel: "v" } }
    expect(exchangeDecision(asks, true)).toBe("confirm")
    expect(exchangeDecision(asks, false)).toBe("cancel")
    expect(exchangeDecision({ ...asks, status: "in_progress" }, true)).toBeNull()
    expect(exchangeDecision({ status: "draft", actions_required: null }, true)).toBeNull()
    expect(exchangeDecision({ status: "draft", actions_required: {} }, true)).toBeNull()
  })
})

describe("snapshots", () => {
  it("keep amounts, fees, transactions and reasons, never the callback URL", () => {
    const snap = refundSnapshot({
      id: 7,
      status: "rejected",
      request_amount: "4.50",
      refund_amount: "0.0001",
      callback_url: "https://shop/hooks/coingate/refunds/SECRET",
      refund_currency: { id: 1, symbol: "BTC", platform: { id: 2, title: "Bitcoin" } },
      fees: { service_fee: { amount: "0.02", currency: { symbol: "EUR" } } },
      transactions: [{ txid: "abc", amount: "0.0001", status: "confirmed", network_confirmations: 3 }],
      compliance_rejection_reason: "screening",
    })
    expect(JSON.stringify(snap)).not.toContain("SECRET")
    expect(snap).toMatchObject({
      refund_currency: "BTC",
      network: "Bitcoin",
      rejection_reason: "screening",
      fees: { service_fee: { amount: "0.02", currency: "EUR" } },
      transactions: [{ txid: "abc", confirmations: 3 }],
    })
    const sr = sendRequestSnapshot({
      id: 11,
      status: "draft",
      callback_url: "https://shop/hooks/coingate/send-requests/SECRET",
      input_amount: "100.0",
      sending_currency: { symbol: "ETH" },
      input_to_sending_rate: "0.00049422",
      actions_required: { confirm: "https://api/confirm", cancel: "https://api/cancel" },
      requires_2fa_confirmation: "true",
      beneficiary_payout_setting: { id: 2, crypto_address: "0xabc", platform: { title: "Ethereum" } },
      fees: { conversion_fee: { amount: "0.1", currency: { symbol: "BTC" } } },
    })
    expect(JSON.stringify(sr)).not.toContain("SECRET")
    expect(sr).toMatchObject({
      sending_currency: "ETH",
      input_to_sending_rate: "0.00049422",
      actions_required: { confirm: true, cancel: true },
      requires_2fa_confirmation: true,
      beneficiary_payout_setting: { crypto_address: "0xabc", network: "Ethereum" },
      fees: { conversion_fee: { amount: "0.1", currency: "BTC" } },
    })
  })
})

describe("refund options", () => {
  it("read CoinGate's currency lists, whatever they are wrapped in", () => {
    const list = [
      { id: 1, symbol: "btc", title: "Bitcoin", kind: "crypto", platforms: [{ id: 2, title: "Bitcoin" }] },
      { id: 4, symbol: "USDT", platforms: [{ id: 4, title: "Ethereum" }, { id: 6, id_name: "tron", enabled: false }] },
      { id: 11, symbol: "EUR", kind: "fiat", platforms: [] },
      { id: "x", symbol: 3 },
    ]
    const expected = [
      { id: 1, symbol: "BTC", title: "Bitcoin", platforms: [{ id: 2, title: "Bitcoin" }] },
      { id: 4, symbol: "USDT", title: "USDT", platforms: [{ id: 4, title: "Ethereum" }] },
    ]
    expect(normalizeRefundCurrencies(list)).toEqual(expected)
    expect(normalizeRefundCurrencies({ currencies: list })).toEqual(expected)
    expect(normalizeRefundCurrencies("nope")).toEqual([])
  })

  it("pick the configured ledger account, else the main active one in the receive currency", () => {
    const accounts = [
      { id: "A", status: "active", account_type: "secondary", currency: { symbol: "EUR" } },
      { id: "B", status: "active", account_type: "main", currency: { symbol: "EUR" } },
      { id: "C", status: "active", account_type: "main", currency: { symbol: "BTC" } },
    ]
    expect(pickLedgerAccount(accounts, { currency: "eur" })?.id).toBe("B")
    expect(pickLedgerAccount(accounts, { currency: "BTC" })?.id).toBe("C")
    expect(pickLedgerAccount(accounts, { configured: "Z", currency: "EUR" })?.id).toBe("Z")
    expect(pickLedgerAccount(accounts, { currency: "DO_NOT_CONVERT" })).toBeNull()
    expect(pickLedgerAccount(accounts, { currency: "USD" })).toBeNull()
  })
})

describe("refunds made outside Medusa", () => {
  it("are the order's refunds no record names", () => {
    const refunds = [{ id: 5, request_amount: "2.00", status: "completed" }, { id: 6, status: "pending" }]
    expect(refundsOutsideMedusa(refunds, ["5"])).toEqual([{ id: "6", amount: null, status: "pending" }])
    expect(refundsOutsideMedusa(undefined, [])).toEqual([])
    const now = new Date("2026-01-01T00:10:00Z")
    const fresh = [{ id: 9, status: "pending", created_at: "2026-01-01T00:09:30Z" }, { id: 10, status: "pending", created_at: "2026-01-01T00:01:00Z" }]
    expect(refundsOutsideMedusa(fresh, [], { now }).map((r) => r.id)).toEqual(["10"])
    const flagged = refundMismatch({ id: 42, status: "partially_refunded", price_currency: "EUR", refunds }, [])
    expect(flagged).toMatchObject({ reason: "refund_outside_medusa" })
    expect(flagged!.note).toContain("#5 (2.00 EUR) completed, #6 pending")
    expect(refundMismatch({ id: 42, status: "partially_refunded", refunds }, ["5", "6"])).toBeNull()
    expect(refundMismatch({ id: 42, status: "refunded", refunds: [] }, [])!.note).toMatch(/is refunded, but Medusa made no refund/)
    expect(refundMismatch({ id: 42, status: "paid", refunds: [] }, [])).toBeNull()
  })
})
