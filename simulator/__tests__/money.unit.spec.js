// @ts-check
"use strict"

const money = require("../money")
const currencies = require("../currencies")
const { encodeForm, parseForm } = require("../http-util")
const { validateCreateOrder } = require("../validation")

const s = (/** @type {import("../money").Decimal} */ d) => money.toString(d)

describe("exact decimal money", () => {
  it("keeps the digits a caller gives, trailing zeros included", () => {
    expect(s(money.dec("10.50"))).toBe("10.50")
    expect(s(money.dec("1050"))).toBe("1050")
    expect(s(money.dec("3.125"))).toBe("3.125")
    expect(s(money.dec(".5"))).toBe("0.5")
    expect(s(money.dec("1e-3"))).toBe("0.001")
    expect(s(money.dec("1.5E2"))).toBe("150")
    expect(s(money.dec(10.5))).toBe("10.5")
    expect(s(money.dec("123456789012345678901234567890.123456789"))).toBe("123456789012345678901234567890.123456789")
  })

  it("rejects things that are not plain decimals", () => {
    for (const bad of ["", " ", "abc", "1,5", "0x10", "1.2.3", "--1", NaN, Infinity, null, {}, "1e999"]) {
      expect(money.parse(bad)).toBeNull()
    }
  })

  it("adds, subtracts and multiplies without float error", () => {
    expect(s(money.add(money.dec("0.1"), money.dec("0.2")))).toBe("0.3")
    expect(s(money.sub(money.dec("10.50"), money.dec("0.105")))).toBe("10.395")
    expect(s(money.mul(money.dec("19.99"), money.dec("3")))).toBe("59.97")
    expect(money.cmp(money.dec("1.10"), money.dec("1.1"))).toBe(0)
  })

  it("divides and rounds half away from zero", () => {
    expect(s(money.div(money.dec("10"), money.dec("3"), 8))).toBe("3.33333333")
    expect(s(money.div(money.dec("2"), money.dec("3"), 8))).toBe("0.66666667")
    expect(s(money.round(money.dec("0.125"), 2))).toBe("0.13")
    expect(s(money.round(money.dec("-2.5"), 0))).toBe("-3")
    expect(s(money.round(money.dec("1.5"), 3))).toBe("1.500")
  })

  it("renders amounts the way CoinGate does when asked", () => {
    expect(money.toCoingateString(money.dec("10"))).toBe("10.0")
    expect(money.toCoingateString(money.dec("10.50"))).toBe("10.5")
  })
})

describe("fake exchange rates", () => {
  it("converts fiat to crypto exactly at fixed rates, 8 decimals", () => {
    expect(currencies.convert("10.50", "EUR", "BTC")).toBe("0.00021")
    expect(currencies.convert("1050", "JPY", "ETH")).toBe("0.00252")
    expect(currencies.convert("3.125", "KWD", "USDT")).toBe("10.41666667")
    expect(currencies.convert("100", "USD", "USDC")).toBe("100.0")
    expect(currencies.convert("1", "BTC", "EUR")).toBe("50000.0")
    expect(currencies.rate("EUR", "BTC")).toBe("0.00002")
  })

  it("makes deterministic fake addresses per order and coin", () => {
    expect(currencies.fakeAddress("u1", "BTC")).toMatch(/^bc1q[a-z0-9]{32}$/)
    expect(currencies.fakeAddress("u1", "ETH")).toMatch(/^0x[0-9a-f]{40}$/)
    expect(currencies.fakeAddress("u1", "BTC")).toBe(currencies.fakeAddress("u1", "BTC"))
    expect(currencies.fakeAddress("u1", "BTC")).not.toBe(currencies.fakeAddress("u2", "BTC"))
  })
})

describe("form encoding", () => {
  it("encodes nested fees the CoinGate way", () => {
    const text = encodeForm({
      id: 7, is_refundable: false, order_id: "a b&c",
      fees: [{ type: "processing_fee", amount: "0.1", currency: { id: 1, symbol: "BTC" } }],
    })
    expect(text).toBe(
      "id=7&is_refundable=false&order_id=a%20b%26c&fees[][type]=processing_fee&fees[][amount]=0.1" +
        "&fees[][currency][id]=1&fees[][currency][symbol]=BTC",
    )
  })

  it("parses nested bodies (Rack rules) and ignores prototype keys", () => {
    const parsed = parseForm(
      "shopper[email]=a%40b.c&shopper[company_details][name]=X&tags[]=1&tags[]=2" +
        "&fees[][type]=a&fees[][currency][id]=1&fees[][currency][symbol]=BTC&fees[][type]=b&__proto__[x]=1&o[constructor]=2",
    )
    expect(parsed).toEqual({
      shopper: { email: "a@b.c", company_details: { name: "X" } },
      tags: ["1", "2"],
      fees: [{ type: "a", currency: { id: "1", symbol: "BTC" } }, { type: "b" }],
    })
    expect(/** @type {any} */ ({}).x).toBeUndefined()
  })
})

describe("create-order validation", () => {
  it("collects every problem with CoinGate's messages", () => {
    const { errors } = validateCreateOrder({
      price_amount: "-1", price_currency: "XYZ", receive_currency: "FOO", title: "ab",
      description: "x".repeat(501), callback_url: "ftp://x", success_url: "nope", cancel_url: "javascript:alert(1)",
    })
    expect(errors).toEqual([
      "Price amount must be greater than 0",
      "Price currency is not valid",
      "Receive currency is not valid",
      "Title is too short (minimum is 3 characters)",
      "Description is too long (maximum is 500 characters)",
      "Callback url is not a valid URL",
      "Success url is not a valid URL",
      "Cancel url is not a valid URL",
    ])
  })

  it("requires price amount, currency, title and description (v2.json: create-order required)", () => {
    expect(validateCreateOrder({}).errors).toEqual([
      "Price amount can't be blank", "Price currency can't be blank", "Title can't be blank", "Description can't be blank",
    ])
    expect(validateCreateOrder({ price_amount: "ten", price_currency: "EUR", title: "Order", description: "Item" }).errors).toEqual(["Price amount is not a number"])
  })

  it("normalises currencies and keeps DO_NOT_CONVERT", () => {
    const { errors, params } = validateCreateOrder({ price_amount: 5, price_currency: "eur", receive_currency: "do_not_convert", title: "Order", description: "Item" })
    expect(errors).toEqual([])
    expect(params).toMatchObject({ price_amount: "5.0", price_currency: "EUR", receive_currency: "DO_NOT_CONVERT", do_not_convert: true })
  })
})
