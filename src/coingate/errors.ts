import axios, { AxiosError, AxiosRequestConfig } from "axios"
import type { BudgetRefusal, RequestClass } from "./request-budget"

/** How a request to CoinGate fails: the errors the client throws, and how an HTTP failure becomes one. */

/**
 * An error answered by CoinGate (or the network on the way to it). `status` is the
 * HTTP status (undefined for network errors and timeouts); `reason` is CoinGate's
 * machine-readable reason (`OrderNotFound`, `OrderIsNotValid`, `BadAuthToken`, ...).
 * The message never contains the API token.
 */
export class CoinGateApiError extends Error {
  readonly status?: number
  readonly reason?: string
  readonly errors?: string[]
  /** True when the same request may succeed later: network errors, timeouts, 5xx and 429. */
  readonly transient: boolean
  /** HTTP requests this call sent before giving up (the client retries reads): what it cost the budget. */
  attempts = 1

  constructor(message: string, opts: { status?: number; reason?: string; errors?: string[]; transient: boolean }) {
    super(message)
    this.name = "CoinGateApiError"
    this.status = opts.status
    this.reason = opts.reason
    this.errors = opts.errors
    this.transient = opts.transient
  }

  get isNotFound(): boolean {
    return this.status === 404
  }
}

/**
 * CoinGate (or something on the way) answered what was not asked for: another order's id, no id,
 * an unknown status, an amount that is not a decimal string (src/coingate/responses.ts).
 * Transient, so nothing is applied now and the caller answers 503 (CoinGate retries its callback)
 * or tries again later. The message names fields, not what was received.
 */
export class CoinGateResponseError extends CoinGateApiError {
  constructor(what: string, problem: string) {
    super(`CoinGate ${what} answered ${problem}`, { reason: "UnexpectedResponse", transient: true })
    this.name = "CoinGateResponseError"
  }
}

/**
 * The plugin's own request budget refused a request (it never reached CoinGate): the
 * class's share of the minute is spent, or CoinGate asked to wait after a 429.
 */
export class CoinGateBudgetError extends CoinGateApiError {
  readonly requestClass: RequestClass
  readonly retryAfterMs: number

  constructor(what: string, cls: RequestClass, refusal: BudgetRefusal) {
    super(`${what} not sent: the ${cls} share of CoinGate's request budget is spent (${refusal.reason}); retry in ${Math.ceil(refusal.retryAfterMs / 1000)} s`, {
      reason: "RequestBudgetSpent",
      transient: true,
    })
    this.name = "CoinGateBudgetError"
    this.requestClass = cls
    this.retryAfterMs = refusal.retryAfterMs
  }
}

/**
 * CoinGate's `errors`: a list of messages (most 422s), a string (one Binance endpoint), or messages by
 * field (`create-beneficiary`: `{"beneficiary_type": ["can't be blank"]}`), read as "field message".
 */
function errorMessages(errors: unknown): string[] | undefined {
  if (Array.isArray(errors)) return errors.map(String)
  if (typeof errors === "string") return [errors]
  if (errors && typeof errors === "object") {
    return Object.entries(errors as Record<string, unknown>).flatMap(([field, messages]) =>
      (Array.isArray(messages) ? messages : [messages]).map((m) => `${field} ${String(m)}`)
    )
  }
  return undefined
}

export function toApiError(e: unknown, request: AxiosRequestConfig): CoinGateApiError {
  const what = `CoinGate ${request.method} ${request.url}`
  if (!axios.isAxiosError(e)) {
    return new CoinGateApiError(`${what} failed: ${(e as Error)?.message ?? e}`, { transient: true })
  }
  const err = e as AxiosError<{ message?: string; reason?: string; errors?: unknown }>
  const status = err.response?.status
  if (!status) {
    // Timeouts, refused or dropped connections. Axios messages carry no headers, so no token.
    return new CoinGateApiError(`${what} failed: ${err.code ?? err.message}`, { transient: true })
  }
  const body = typeof err.response?.data === "object" && err.response?.data ? err.response.data : {}
  const errors = errorMessages(body.errors)
  const detail = [body.message, errors?.join("; ")].filter(Boolean).join(": ")
  return new CoinGateApiError(`${what} answered ${status}${body.reason ? ` ${body.reason}` : ""}${detail ? ` (${detail})` : ""}`, {
    status,
    reason: body.reason,
    errors,
    transient: status >= 500 || status === 429,
  })
}
