import { CoinGateApiError, CoinGateBudgetError, type CoinGateClient } from "../../coingate/client"
import { CoinGateRefundError, requestRefund } from "../../gateway/refund-requests"
import { sendRefundError } from "../rules/http-errors"
import { stateAfterError } from "../intents"
import type { CoinGateRefundRequest } from "../rules/request"

const request: CoinGateRefundRequest = {
  id: "req_1",
  method: "refund",
  amount: "5.00",
  currency_code: "eur",
  coingate_order_id: "42",
  address: "bc1qexampleaddress",
  currency_id: 1,
  platform_id: 1,
  email: "shopper@example.com",
  reason: "Returned",
  ledger_account_id: "acc_1",
  requested_at: new Date(0).toISOString(),
}

const logger = { info: () => undefined, warn: () => undefined } as any

/** The error `requestRefund` raises when CoinGate's client throws `thrown`. */
async function refusalFor(thrown: unknown): Promise<unknown> {
  const client = { createRefund: async () => Promise.reject(thrown) } as unknown as CoinGateClient
  try {
    await requestRefund({ client, logger, callbackUrl: () => "http://shop/hooks/x", autoConfirmPayoutExchange: false }, request, { intentId: "cgint_1", medusaRefundId: null })
  } catch (e) {
    return e
  }
  throw new Error("expected requestRefund to throw")
}

function answer(e: unknown) {
  const res: any = { code: 0, body: null, status: (c: number) => ((res.code = c), res), json: (b: unknown) => ((res.body = b), res) }
  sendRefundError(res, e)
  return { status: res.code, body: res.body }
}

describe("what a failed refund request means", () => {
  it("CoinGate's validation refusal: failed (nothing moved), answered 400", async () => {
    const e = await refusalFor(new CoinGateApiError("CoinGate POST /orders/42/refunds answered 422", { status: 422, reason: "RefundIsNotValid", transient: false, errors: ["Amount too high"] }))
    expect(e).toBeInstanceOf(CoinGateRefundError)
    expect(stateAfterError(e)).toBe("failed")
    expect(answer(e)).toMatchObject({ status: 400, body: { message: expect.stringContaining("Amount too high") } })
  })

  it("no answer (timeout): unknown, so the same intent is not sent again blindly; answered 502 unknown_outcome", async () => {
    const e = await refusalFor(new CoinGateApiError("CoinGate POST /orders/42/refunds failed: ECONNABORTED", { transient: true }))
    expect(stateAfterError(e)).toBe("unknown")
    expect(answer(e)).toMatchObject({ status: 502, body: { type: "unknown_outcome" } })
  })

  it("issue 22, finding 1: a 5xx after sending (CoinGate's or a proxy's) is unknown, never 'nothing was refunded'", async () => {
    for (const thrown of [
      new CoinGateApiError("CoinGate POST /orders/42/refunds answered 502", { status: 502, transient: true }),
      new CoinGateApiError("CoinGate POST /orders/42/refunds answered 500 InternalServerError", { status: 500, reason: "InternalServerError", transient: true }),
    ]) {
      const e: any = await refusalFor(thrown)
      expect(stateAfterError(e)).toBe("unknown")
      expect(e.message).not.toMatch(/nothing was refunded/)
      expect(e.message).toMatch(/may have been made.*reserved/)
    }
  })

  it("the plugin's own request budget refused it: never sent, so failed (may be retried), answered 503", async () => {
    const e = await refusalFor(new CoinGateBudgetError("CoinGate POST /orders/42/refunds", "admin", { reason: "paused", retryAfterMs: 1000 }))
    expect(stateAfterError(e)).toBe("failed")
    expect((e as Error).message).toMatch(/nothing was refunded/)
    expect(answer(e).status).toBe(503)
  })

  it("classifies by the error's type, not by words in its message", () => {
    expect(answer(new Error("the timeout setting is invalid")).status).toBe(500)
    expect(stateAfterError(Object.assign(new Error("x"), { unanswered: true }))).toBe("failed")
    expect(answer(new CoinGateApiError("CoinGate GET /v2/currencies answered 503", { status: 503, transient: true })).status).toBe(503)
  })
})
