import type { CoinGateOrder } from "../../../coingate/types"
import { checkOrderMatchesSession, checkOrderMatchesSessionData } from "../order-checks"
import { withoutSecrets } from "../../../coingate/types"

const session = { id: "payses_A", amount: 10.5, currency_code: "eur" }
const order = { order_id: "payses_A", price_amount: "10.50", price_currency: "EUR", status: "paid" as const }

describe("order checks: a CoinGate order read from the API against its session", () => {
  it("passes when the order names the session and asks its amount in its currency", () => {
    expect(checkOrderMatchesSession(order, session)).toBeNull()
    expect(checkOrderMatchesSession({ ...order, price_amount: "10.5" }, session)).toBeNull()
    expect(checkOrderMatchesSession({ ...order, price_currency: "eur" }, session)).toBeNull()
    expect(checkOrderMatchesSession({ ...order, price_amount: "1050", price_currency: "JPY" }, { ...session, amount: 1050, currency_code: "jpy" })).toBeNull()
    expect(checkOrderMatchesSession({ ...order, price_amount: "3.125", price_currency: "KWD" }, { ...session, amount: { value: "3.125", precision: 20 } as any, currency_code: "kwd" })).toBeNull()
  })

  it("flags an order of another session (foreign_order)", () => {
    expect(checkOrderMatchesSession({ ...order, order_id: "payses_B" }, session)).toBe("foreign_order")
    expect(checkOrderMatchesSession({ ...order, order_id: null }, session)).toBe("foreign_order")
    expect(checkOrderMatchesSession({ ...order, order_id: undefined }, session)).toBe("foreign_order")
  })

  it("flags another currency (currency_mismatch) before the amount", () => {
    expect(checkOrderMatchesSession({ ...order, price_currency: "USD" }, session)).toBe("currency_mismatch")
    expect(checkOrderMatchesSession({ ...order, price_currency: "USD", price_amount: "1" }, session)).toBe("currency_mismatch")
  })

  it("flags another amount (amount_mismatch), to the currency's precision", () => {
    expect(checkOrderMatchesSession({ ...order, price_amount: "10.49" }, session)).toBe("amount_mismatch")
    expect(checkOrderMatchesSession({ ...order, price_amount: "1.05" }, session)).toBe("amount_mismatch")
    expect(checkOrderMatchesSession({ ...order, price_amount: "" }, session)).toBe("amount_mismatch")
    expect(checkOrderMatchesSession({ ...order, price_amount: "3.12", price_currency: "KWD" }, { ...session, amount: 3.125, currency_code: "kwd" })).toBe("amount_mismatch")
  })

  it("flags a status the plugin does not know", () => {
    expect(checkOrderMatchesSession({ ...order, status: "settling" as any }, session)).toBe("unknown_status")
  })

  it("checks against the provider's session data (session id and the price asked at creation)", () => {
    const data = { session_id: "payses_A", price_amount: "10.50", price_currency: "EUR" }
    expect(checkOrderMatchesSessionData(order, data)).toBeNull()
    expect(checkOrderMatchesSessionData({ ...order, price_amount: "10.5" }, data)).toBeNull()
    expect(checkOrderMatchesSessionData({ ...order, order_id: "payses_B" }, data)).toBe("foreign_order")
    expect(checkOrderMatchesSessionData({ ...order, price_amount: "9.50" }, data)).toBe("amount_mismatch")
    expect(checkOrderMatchesSessionData({ ...order, price_currency: "USD" }, data)).toBe("currency_mismatch")
    // Without a recorded price, only the session is checked.
    expect(checkOrderMatchesSessionData({ ...order, price_amount: "9.50" }, { session_id: "payses_A" })).toBeNull()
    expect(checkOrderMatchesSessionData(order, {})).toBe("foreign_order")
  })

  it("withoutSecrets drops the callback token and keeps everything else", () => {
    const full = { id: 1, ...order, token: "secret", payment_url: "https://x" } as CoinGateOrder
    const clean = withoutSecrets(full)
    expect(clean).not.toHaveProperty("token")
    expect(clean).toMatchObject({ id: 1, payment_url: "https://x", status: "paid" })
    expect(full.token).toBe("secret")
  })
})
