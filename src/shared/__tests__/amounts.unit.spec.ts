import { currencyDigits, displayAmount, isSameAmount, toPriceAmount } from "../amounts"

describe("amounts", () => {
  describe("currency precision", () => {
    it.each([
      ["jpy", 0],
      ["EUR", 2],
      ["usd", 2],
      ["kwd", 3],
      ["BHD", 3],
      ["xyz", 2],
    ])("%s has %i decimals", (code, digits) => {
      expect(currencyDigits(code)).toBe(digits)
    })
  })

  describe("toPriceAmount: the exact decimal string CoinGate is asked for", () => {
    it.each([
      [10.5, "eur", "10.50"],
      [10, "eur", "10.00"],
      ["10.5", "EUR", "10.50"],
      [1050, "jpy", "1050"],
      ["1050", "JPY", "1050"],
      [3.125, "kwd", "3.125"],
      [3.1, "kwd", "3.100"],
      [0.1 + 0.2, "eur", "0.30"], // 0.30000000000000004: no float artefacts
      [19.99, "usd", "19.99"],
      [1234567.89, "eur", "1234567.89"],
    ])("%p %s -> %s", (amount, currency, expected) => {
      expect(toPriceAmount(amount as any, currency)).toBe(expected)
    })

    it("reads raw BigNumber objects as Medusa passes them ({value, precision})", () => {
      expect(toPriceAmount({ value: "5", precision: 20 } as any, "eur")).toBe("5.00")
      expect(toPriceAmount({ value: "1050", precision: 20 } as any, "jpy")).toBe("1050")
      expect(toPriceAmount({ value: "3.125", precision: 20 } as any, "kwd")).toBe("3.125")
    })

    it("rounds half up to the currency's precision", () => {
      expect(toPriceAmount("10.005", "eur")).toBe("10.01")
      expect(toPriceAmount("10.004", "eur")).toBe("10.00")
      expect(toPriceAmount("1050.5", "jpy")).toBe("1051")
      expect(toPriceAmount("1050.4", "jpy")).toBe("1050")
      expect(toPriceAmount("3.1255", "kwd")).toBe("3.126")
      expect(toPriceAmount(1.005, "eur")).toBe("1.01") // the float 1.005 is 1.00499999...; Medusa's BigNumber reads its decimal form
    })

    it("refuses what is not an amount", () => {
      expect(() => toPriceAmount("abc" as any, "eur")).toThrow(/Not a valid amount/)
      expect(() => toPriceAmount(NaN, "eur")).toThrow(/Not a valid amount/)
      expect(() => toPriceAmount(Infinity, "eur")).toThrow(/Not a valid amount/)
    })
  })

  describe("isSameAmount: CoinGate's price_amount against the session's amount", () => {
    it("treats equal decimals as equal however they are written", () => {
      expect(isSameAmount("10.5", 10.5, "eur")).toBe(true)
      expect(isSameAmount("10.50", 10.5, "eur")).toBe(true)
      expect(isSameAmount("10.500000", "10.50", "eur")).toBe(true)
      expect(isSameAmount(" 10.50 ", 10.5, "eur")).toBe(true)
      expect(isSameAmount(10.5, 10.5, "eur")).toBe(true)
      expect(isSameAmount("1050", 1050, "jpy")).toBe(true)
      expect(isSameAmount("1050.0", { value: "1050", precision: 20 } as any, "jpy")).toBe(true)
      expect(isSameAmount("3.125", 3.125, "kwd")).toBe(true)
    })

    it("sees any difference within the currency's precision", () => {
      expect(isSameAmount("10.49", 10.5, "eur")).toBe(false)
      expect(isSameAmount("10.51", 10.5, "eur")).toBe(false)
      expect(isSameAmount("1049", 1050, "jpy")).toBe(false)
      expect(isSameAmount("3.12", 3.125, "kwd")).toBe(false)
      expect(isSameAmount("3.126", 3.125, "kwd")).toBe(false)
      expect(isSameAmount("105", 10.5, "eur")).toBe(false)
    })

    it("rejects what is not a plain positive decimal", () => {
      for (const bad of [undefined, null, "", "abc", "-10.50", "1e1", "10,50", "0x10", {}, []]) {
        expect(isSameAmount(bad, 10.5, "eur")).toBe(false)
      }
    })
  })

  describe("displayAmount", () => {
    it("shows CoinGate's answer in the currency's digits, without rounding", () => {
      expect(displayAmount("79.0", "EUR")).toBe("79.00")
      expect(displayAmount("4", "eur")).toBe("4.00")
      expect(displayAmount("1050.0", "JPY")).toBe("1050")
      expect(displayAmount("3.125", "KWD")).toBe("3.125")
      expect(displayAmount("10.505", "EUR")).toBe("10.505")
    })

    it("leaves what it cannot read as it came", () => {
      expect(displayAmount("abc", "EUR")).toBe("abc")
      expect(displayAmount("79.0", null)).toBe("79.0")
      expect(displayAmount(null, "EUR")).toBeNull()
    })
  })
})
