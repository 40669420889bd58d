import { furtherStatus, returnView } from "../return-state"

const answer = (coingate_status: string | null, state: string | null, order_id: string | null = null) => ({ coingate_status, state, order_id })

describe("the return page's view of a sync answer", () => {
  it("shows the order once the payment is captured", () => {
    const v = returnView(answer("paid", "captured", "order_1"))
    expect(v).toMatchObject({ kind: "placed", final: true, completeCart: false, showRetry: false, orderId: "order_1" })
  })

  it("completes the cart when CoinGate saw the payment and no order exists yet (redirect first)", () => {
    for (const status of ["confirming", "paid"]) {
      expect(returnView(answer(status, "pending"))).toMatchObject({ kind: "placing", completeCart: true, final: false })
    }
  })

  it("says the order is placed and confirming once there is an order, without completing again", () => {
    expect(returnView(answer("confirming", "awaiting_payment", "order_1"))).toMatchObject({ kind: "confirming", completeCart: false, final: false })
  })

  it("never says 'not seen' once CoinGate reported anything beyond new, even from a stale answer", () => {
    const pending = returnView(answer("pending", "pending"))
    expect(pending.kind).toBe("awaiting_payment")
    expect(pending.message).not.toMatch(/not seen/)
    expect(pending.showRetry).toBe(false)
    // The record said confirming a moment ago; an older answer says new: the page keeps confirming.
    const stale = returnView(answer("new", "pending"), "confirming")
    expect(stale).toMatchObject({ kind: "placing", coingateStatus: "confirming" })
    expect(stale.message).not.toMatch(/not seen/)
    expect(returnView(answer("new", "pending")).message).toMatch(/not seen/)
  })

  it("offers a new invoice for expired, canceled, invalid and unmatched payments, and stops", () => {
    for (const [status, state, why] of [
      ["expired", "canceled", /expired/],
      ["canceled", "canceled", /canceled/],
      ["invalid", "pending", /could not confirm/],
      ["paid", "mismatch", /could not be matched/],
    ] as const) {
      const v = returnView(answer(status, state))
      expect(v).toMatchObject({ kind: "failed", final: true, showRetry: true })
      expect(v.message).toMatch(why)
    }
    expect(returnView(answer("expired", "canceled", "order_1")).message).toMatch(/order was canceled/)
  })

  it("a canceled session answered with a status a few seconds old (new, pending) closed unpaid: nothing to match", () => {
    // Order first, the shopper canceled: the callback cancels the order while the record still says new.
    for (const status of ["new", "pending", null]) {
      const v = returnView(answer(status, "canceled", "order_1"))
      expect(v).toMatchObject({ kind: "failed", final: true, showRetry: true })
      expect(v.message).toBe("The invoice was closed unpaid. Your order was canceled.")
    }
  })

  it("order first, unpaid: the order waits for the payment, with a link back to the invoice and no retry", () => {
    expect(returnView(answer("new", "awaiting_payment", "order_1"))).toMatchObject({ kind: "not_paid", showInvoice: true, showRetry: false, title: "Order placed, awaiting payment" })
  })

  it("orders statuses new < pending < confirming < paid; a failure is taken as it comes", () => {
    expect(furtherStatus("paid", "confirming")).toBe("paid")
    expect(furtherStatus("pending", "confirming")).toBe("confirming")
    expect(furtherStatus("confirming", "expired")).toBe("expired")
    expect(furtherStatus(null, null)).toBeNull()
  })
})
