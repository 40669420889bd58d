import { callbackTokenFor, deriveCallbackKey, isValidCallbackToken } from "../callback-token"

const key = deriveCallbackKey({ apiToken: "api_token_1" })

describe("callback tokens", () => {
  it("are derived from the session id: stable, per session, URL-safe, 43 characters", () => {
    const a = callbackTokenFor(key, "payses_A")
    expect(callbackTokenFor(key, "payses_A")).toBe(a)
    expect(callbackTokenFor(key, "payses_B")).not.toBe(a)
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it("depend on the secret: another API token or callbackSecret gives other tokens", () => {
    const other = deriveCallbackKey({ apiToken: "api_token_2" })
    const withSecret = deriveCallbackKey({ apiToken: "api_token_1", callbackSecret: "a-long-callback-secret" })
    expect(callbackTokenFor(other, "payses_A")).not.toBe(callbackTokenFor(key, "payses_A"))
    expect(callbackTokenFor(withSecret, "payses_A")).not.toBe(callbackTokenFor(key, "payses_A"))
    // callbackSecret takes over from apiToken: rotating the API token keeps callback tokens valid.
    const rotated = deriveCallbackKey({ apiToken: "api_token_3", callbackSecret: "a-long-callback-secret" })
    expect(callbackTokenFor(rotated, "payses_A")).toBe(callbackTokenFor(withSecret, "payses_A"))
  })

  it("never contain the API token or the session id", () => {
    const token = callbackTokenFor(key, "payses_A")
    expect(token).not.toContain("api_token_1")
    expect(token).not.toContain("payses_A")
    expect(key.toString("utf8")).not.toContain("api_token_1")
  })

  describe("checking a posted token", () => {
    const good = callbackTokenFor(key, "payses_A")

    it("accepts the session's token, with surrounding whitespace ignored", () => {
      expect(isValidCallbackToken(key, "payses_A", good)).toBe(true)
      expect(isValidCallbackToken(key, "payses_A", ` ${good}\n`)).toBe(true)
      expect(isValidCallbackToken(key, "payses_A", `\t${good} `)).toBe(true)
    })

    it("rejects another session's token, another key's token, and near misses", () => {
      expect(isValidCallbackToken(key, "payses_A", callbackTokenFor(key, "payses_B"))).toBe(false)
      expect(isValidCallbackToken(key, "payses_A", callbackTokenFor(deriveCallbackKey({ apiToken: "x" }), "payses_A"))).toBe(false)
      expect(isValidCallbackToken(key, "payses_A", good.slice(0, -1))).toBe(false)
      expect(isValidCallbackToken(key, "payses_A", `${good}x`)).toBe(false)
      expect(isValidCallbackToken(key, "payses_A", good.toUpperCase())).toBe(false)
      expect(isValidCallbackToken(key, "payses_A", `${good.slice(0, 20)} ${good.slice(21)}`)).toBe(false)
    })

    it("rejects what is not a string without throwing", () => {
      for (const posted of [undefined, null, 42, {}, [good], ""]) {
        expect(isValidCallbackToken(key, "payses_A", posted)).toBe(false)
      }
    })

    it("compares in constant time (crypto.timingSafeEqual on equal lengths)", () => {
      const crypto = require("crypto")
      const spy = jest.spyOn(crypto, "timingSafeEqual")
      try {
        isValidCallbackToken(key, "payses_A", good)
        isValidCallbackToken(key, "payses_A", callbackTokenFor(key, "payses_B"))
        expect(spy).toHaveBeenCalledTimes(2)
      } finally {
        spy.mockRestore()
      }
    })
  })
})
