import { MedusaError } from "@medusajs/framework/utils"
import { CoinGateProviderService } from "../service"
import { LIVE_API_ORIGIN, resolveOptions, SANDBOX_API_ORIGIN } from "../../../shared/options"

const valid = { apiToken: "tok_123", backendUrl: "https://api.shop.example" }

/** The message resolveOptions throws for these options (fails the test if it does not throw). */
function errorFor(raw: Record<string, unknown> | undefined): MedusaError {
  try {
    resolveOptions(raw)
  } catch (e) {
    return e as MedusaError
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`)
}

describe("provider options", () => {
  describe("boot-stopping errors name the option and the fix", () => {
    it.each([
      ["apiToken missing", { backendUrl: "https://api.shop.example" }, "apiToken", /Create an API app in the CoinGate dashboard/],
      ["apiToken blank", { ...valid, apiToken: "   " }, "apiToken", /process\.env\.COINGATE_API_TOKEN/],
      ["apiToken not a string", { ...valid, apiToken: 42 }, "apiToken", /pass its token/],
      ["backendUrl missing", { apiToken: "t" }, "backendUrl", /public URL of this Medusa backend.*https:\/\/api\.shop\.example/],
      ["backendUrl malformed", { ...valid, backendUrl: "api.shop.example" }, "backendUrl", /not a valid absolute URL.*Use a full URL/],
      ["backendUrl not http", { ...valid, backendUrl: "ftp://api.shop.example" }, "backendUrl", /must use http or https/],
      ["backendUrl not a string", { ...valid, backendUrl: 8080 }, "backendUrl", /must be a URL string/],
      ["apiUrl without a scheme", { ...valid, apiUrl: "localhost:4010" }, "apiUrl", /must use http or https.*Use a full URL/],
      ["apiUrl malformed", { ...valid, apiUrl: "http://" }, "apiUrl", /not a valid absolute URL/],
      ["apiUrl with /v2", { ...valid, apiUrl: "http://127.0.0.1:4010/v2" }, "apiUrl", /origin without `\/v2`/],
      ["callbackLogDays zero", { ...valid, callbackLogDays: 0 }, "callbackLogDays", /whole number of days from 1 to 365.*got 0/],
      ["callbackLogDays over a year", { ...valid, callbackLogDays: 366 }, "callbackLogDays", /from 1 to 365/],
      ["callbackLogDays fractional", { ...valid, callbackLogDays: 1.5 }, "callbackLogDays", /whole number/],
      ["callbackLogDays a string", { ...valid, callbackLogDays: "30" }, "callbackLogDays", /got "30"/],
      ["successUrl malformed", { ...valid, successUrl: "/checkout/{cart_id}" }, "successUrl", /not a valid absolute URL/],
      ["cancelUrl malformed", { ...valid, cancelUrl: "shop/cancel" }, "cancelUrl", /not a valid absolute URL/],
      ["sandbox not boolean", { ...valid, sandbox: "yes" }, "sandbox", /must be true or false/],
      ["receiveCurrency malformed", { ...valid, receiveCurrency: "E-U-R" }, "receiveCurrency", /such as `EUR`, `BTC` or `DO_NOT_CONVERT`/],
      ["callbackSecret too short", { ...valid, callbackSecret: "short" }, "callbackSecret", /at least 16 characters/],
      ["requestTimeoutMs too small", { ...valid, requestTimeoutMs: 5 }, "requestTimeoutMs", /at least 100/],
      ["requestTimeoutMs not whole", { ...valid, requestTimeoutMs: 1500.5 }, "requestTimeoutMs", /whole number/],
    ])("%s", (_what, raw, option, fix) => {
      const error = errorFor(raw)
      expect(error).toBeInstanceOf(MedusaError)
      expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
      expect(error.message).toContain("CoinGate provider options")
      expect(error.message).toContain(`\`${option}\``)
      expect(error.message).toMatch(fix)
    })

    it("rejects no options at all, asking for apiToken first", () => {
      expect(errorFor(undefined).message).toContain("`apiToken` is required")
    })

    it("never echoes the API token in an error", () => {
      const error = errorFor({ apiToken: "tok_secret_value_123", backendUrl: "nope" })
      expect(error.message).not.toContain("tok_secret_value_123")
    })

    it("stops the provider from being registered: validateOptions and the constructor throw", () => {
      expect(() => CoinGateProviderService.validateOptions({ backendUrl: "https://x.example" })).toThrow(/`apiToken` is required/)
      expect(() => new CoinGateProviderService({ logger: console as any }, { apiToken: "t" } as any)).toThrow(/`backendUrl` is required/)
      expect(() => CoinGateProviderService.validateOptions(valid)).not.toThrow()
    })
  })

  describe("defaults and normalisation", () => {
    it("uses the live API unless sandbox is set, and apiUrl over both", () => {
      expect(resolveOptions(valid).apiOrigin).toBe(LIVE_API_ORIGIN)
      expect(resolveOptions(valid).sandbox).toBe(false)
      expect(resolveOptions({ ...valid, sandbox: true }).apiOrigin).toBe(SANDBOX_API_ORIGIN)
      expect(resolveOptions({ ...valid, sandbox: true, apiUrl: "http://127.0.0.1:4010/" }).apiOrigin).toBe("http://127.0.0.1:4010")
    })

    it("trims the token, strips trailing slashes, upper-cases receiveCurrency, defaults the timeout", () => {
      const resolved = resolveOptions({ ...valid, apiToken: "  tok  ", backendUrl: "https://api.shop.example//", receiveCurrency: "do_not_convert" })
      expect(resolved.apiToken).toBe("tok")
      expect(resolved.backendUrl).toBe("https://api.shop.example")
      expect(resolved.receiveCurrency).toBe("DO_NOT_CONVERT")
      expect(resolved.requestTimeoutMs).toBe(20_000)
    })

    it("accepts plain-http localhost backends (development stores and tests)", () => {
      expect(resolveOptions({ ...valid, backendUrl: "http://127.0.0.1:9000" }).backendUrl).toBe("http://127.0.0.1:9000")
      expect(resolveOptions({ ...valid, backendUrl: "http://localhost:9000" }).backendUrl).toBe("http://localhost:9000")
    })

    it("accepts {cart_id} and {session_id} placeholders in return URLs and keeps them", () => {
      const resolved = resolveOptions({ ...valid, successUrl: "https://shop.example/order/{cart_id}?s={session_id}", cancelUrl: "https://shop.example/cart" })
      expect(resolved.successUrl).toBe("https://shop.example/order/{cart_id}?s={session_id}")
      expect(resolved.cancelUrl).toBe("https://shop.example/cart")
    })

    it("keeps the callback log 30 days unless callbackLogDays says otherwise (1 and 365 allowed)", () => {
      expect(resolveOptions(valid).callbackLogDays).toBe(30)
      expect(resolveOptions({ ...valid, callbackLogDays: 1 }).callbackLogDays).toBe(1)
      expect(resolveOptions({ ...valid, callbackLogDays: 365 }).callbackLogDays).toBe(365)
    })

    it("treats empty optional options as unset (e.g. an unset environment variable)", () => {
      const resolved = resolveOptions({ ...valid, successUrl: "", cancelUrl: undefined, apiUrl: "", receiveCurrency: undefined })
      expect(resolved.successUrl).toBeUndefined()
      expect(resolved.cancelUrl).toBeUndefined()
      expect(resolved.apiOrigin).toBe(LIVE_API_ORIGIN)
      expect(resolved.receiveCurrency).toBeUndefined()
    })
  })
})
