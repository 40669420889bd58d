import { CoinGateApiError, CoinGateBudgetError, CoinGateResponseError } from "../../../coingate/client"
import { classifyRequestFailure } from "../outcome"

/** Issue 22, finding 1/2: the one classification of a failed refund or send request. */
const answered = (status: number, body: { reason?: string; errors?: string[] } = {}) =>
  new CoinGateApiError(`answered ${status}`, { status, reason: body.reason, errors: body.errors, transient: status >= 500 || status === 429 })

describe("classifyRequestFailure", () => {
  it("calls unknown whatever may have reached CoinGate without a clear answer", () => {
    expect(classifyRequestFailure(answered(500, { reason: "InternalServerError" }))).toBe("unknown")
    expect(classifyRequestFailure(answered(503, { reason: "ServiceUnavailable" }))).toBe("unknown")
    // A load balancer's HTML 502 (no CoinGate body), a reset, a timeout.
    expect(classifyRequestFailure(answered(502))).toBe("unknown")
    expect(classifyRequestFailure(new CoinGateApiError("ECONNRESET", { transient: true }))).toBe("unknown")
    expect(classifyRequestFailure(new CoinGateApiError("ECONNABORTED", { transient: true }))).toBe("unknown")
    // An answer that is not what was asked for (unparsable, another object).
    expect(classifyRequestFailure(new CoinGateResponseError("POST /send_requests", "no valid id"))).toBe("unknown")
    // A 4xx page from something on the way, without CoinGate's error body.
    expect(classifyRequestFailure(answered(404))).toBe("unknown")
    expect(classifyRequestFailure(new Error("socket hang up"))).toBe("unknown")
    expect(classifyRequestFailure(undefined)).toBe("unknown")
  })

  it("a 422 saying the external_id is taken proves a send request exists: unknown (resolved as made), never not_made", () => {
    expect(classifyRequestFailure(answered(422, { reason: "SendRequestIsNotValid", errors: ["External id has already been taken"] }))).toBe("unknown")
  })

  it("calls not_made only what proves nothing was made: the plugin's budget, a 429, CoinGate's own 4xx refusal", () => {
    expect(classifyRequestFailure(new CoinGateBudgetError("POST /orders/1/refunds", "admin", { reason: "share spent", retryAfterMs: 1000 } as any))).toBe("not_made")
    expect(classifyRequestFailure(answered(429, { reason: "RateLimitExceeded" }))).toBe("not_made")
    expect(classifyRequestFailure(answered(429))).toBe("not_made")
    expect(classifyRequestFailure(answered(422, { reason: "RefundIsNotValid", errors: ["Request amount must be higher than 1.0 EUR"] }))).toBe("not_made")
    expect(classifyRequestFailure(answered(404, { reason: "OrderNotFound" }))).toBe("not_made")
    expect(classifyRequestFailure(answered(401, { reason: "BadAuthToken" }))).toBe("not_made")
  })
})
