import { attentionNotice, hasFeedProvider, isNewAttention } from "../attention-notice"

/** A container as far as hasFeedProvider reads it: the module's registration and the loaded config. */
const containerWith = (notification: unknown, registered = true) =>
  ({
    hasRegistration: (name: string) => name === "notification" && registered,
    resolve: () => ({ modules: { notification } }),
  }) as any

describe("attention notices", () => {
  it("announce a flag that is new: none before, or another reason; never an unchanged or cleared one", () => {
    expect(isNewAttention(null, "amount_mismatch")).toBe(true)
    expect(isNewAttention(undefined, "invalid")).toBe(true)
    expect(isNewAttention("amount_mismatch", "currency_mismatch")).toBe(true)
    expect(isNewAttention("amount_mismatch", "amount_mismatch")).toBe(false)
    expect(isNewAttention("amount_mismatch", null)).toBe(false)
    expect(isNewAttention(null, null)).toBe(false)
  })

  it("say the reason in words, the CoinGate order and the Medusa order (or that there is none)", () => {
    expect(attentionNotice({ reason: "paid_after_cancellation", note: "Refund it.", coingateOrderId: "42", order: { displayId: 7, id: "order_1" } })).toEqual({
      title: "CoinGate payment needs attention",
      description: "Paid after cancellation: CoinGate order 42, order #7.\nRefund it.",
    })
    expect(attentionNotice({ reason: "amount_mismatch", note: null, coingateOrderId: "43", order: { displayId: null, id: null } }).description).toBe(
      "Amount mismatch: CoinGate order 43, no order."
    )
    // A display id that could not be read: the order's id still says which order.
    expect(attentionNotice({ reason: "invalid", note: null, coingateOrderId: "44", order: { displayId: null, id: "order_2" } }).description).toBe(
      "Marked invalid by CoinGate: CoinGate order 44, order order_2."
    )
    // A reason of another version reads as its words.
    expect(attentionNotice({ reason: "some_new_reason", note: null, coingateOrderId: "45", order: { displayId: null, id: null } }).description).toMatch(/^some new reason:/)
  })

  it("go to the feed only when a notification provider serves the feed channel", () => {
    const local = { resolve: "@medusajs/medusa/notification-local", id: "local", options: { channels: ["feed"] } }
    const email = { resolve: "@medusajs/medusa/notification-sendgrid", id: "sendgrid", options: { channels: ["email"] } }
    expect(hasFeedProvider(containerWith({ options: { providers: [email, local] } }))).toBe(true)
    expect(hasFeedProvider(containerWith({ options: { providers: [email] } }))).toBe(false)
    expect(hasFeedProvider(containerWith({ options: { providers: [] } }))).toBe(false)
    expect(hasFeedProvider(containerWith({ options: {} }))).toBe(false)
    expect(hasFeedProvider(containerWith({ disable: true, options: { providers: [local] } }))).toBe(false)
    expect(hasFeedProvider(containerWith(false))).toBe(false)
    expect(hasFeedProvider(containerWith({ options: { providers: [local] } }, false))).toBe(false)
  })
})
