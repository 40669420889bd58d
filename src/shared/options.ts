import { MedusaError } from "@medusajs/framework/utils"

/**
 * Options of the CoinGate payment provider, as written in the store's
 * `medusa-config.ts` under the payment module's `providers[].options`.
 * The names are part of the plugin's public contract (see README).
 */
export type CoinGateOptions = {
  /** CoinGate API token (live or sandbox). Never logged, never returned by any API. */
  apiToken: string
  /** Use CoinGate's sandbox API instead of the live one. Default `false`. */
  sandbox?: boolean
  /** API origin to use instead of CoinGate's (the local simulator, a proxy). Requests go to `${apiUrl}/v2/...`. */
  apiUrl?: string
  /** Public URL of this Medusa backend; callback URLs are built from it. */
  backendUrl: string
  /** Where CoinGate sends the shopper back after paying; may contain `{cart_id}` and `{session_id}`. */
  successUrl?: string
  /** Where CoinGate sends the shopper back after canceling; may contain `{cart_id}` and `{session_id}`. */
  cancelUrl?: string
  /** Settlement currency sent to CoinGate (`EUR`, `BTC`, `DO_NOT_CONVERT`, ...); omitted when unset. */
  receiveCurrency?: string
  /** The shop's name on CoinGate's invoice ("Acme: 2 × T-shirt, Mug"). Default: the name in Medusa's store settings. */
  storeName?: string
  /**
   * Secret from which per-session callback tokens are derived. Defaults to a key
   * derived from `apiToken`, so rotating the API token also rotates callback tokens.
   */
  callbackSecret?: string
  /** Timeout of each CoinGate API call in milliseconds. Default 20000. */
  requestTimeoutMs?: number
  /**
   * CoinGate requests per minute that reconciliation may make (2-150, default 60; also
   * COINGATE_RECONCILE_REQUESTS_PER_MINUTE). Validated and read by src/coingate/request-budget.ts.
   */
  reconcileRequestsPerMinute?: number
  /**
   * CoinGate ledger account (balance) refunds and payouts are paid from (a ULID from `GET /v2/ledger/accounts`).
   * Default: the account in the order's receive currency.
   */
  ledgerAccountId?: string
  /**
   * A payout whose coin differs from the ledger account's currency needs a currency exchange, which must be
   * confirmed within a minute. `true` confirms it automatically; `false` (default) cancels it and records why.
   */
  autoConfirmPayoutExchange?: boolean
  /**
   * Days the callback log (`coingate_callback`, docs/admin.md) keeps each callback received: a whole
   * number from 1 to 365, default 30. With several CoinGate providers the longest applies.
   */
  callbackLogDays?: number
}

export type ResolvedOptions = {
  apiToken: string
  sandbox: boolean
  /** Origin of the API, without a trailing slash and without `/v2`. */
  apiOrigin: string
  backendUrl: string
  successUrl?: string
  cancelUrl?: string
  receiveCurrency?: string
  storeName?: string
  callbackSecret?: string
  requestTimeoutMs: number
  ledgerAccountId?: string
  autoConfirmPayoutExchange: boolean
  callbackLogDays: number
}

export const DEFAULT_CALLBACK_LOG_DAYS = 30
export const MAX_CALLBACK_LOG_DAYS = 365

export const LIVE_API_ORIGIN = "https://api.coingate.com"
export const SANDBOX_API_ORIGIN = "https://api-sandbox.coingate.com"
const DEFAULT_TIMEOUT_MS = 20_000

function invalid(message: string): never {
  throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate provider options: ${message}`)
}

function parseUrl(name: string, value: unknown, { placeholders = false } = {}): string | undefined {
  if (value === undefined || value === null || value === "") {
    return undefined
  }
  if (typeof value !== "string") {
    invalid(`\`${name}\` must be a URL string, got ${typeof value}.`)
  }
  // Placeholders such as {cart_id} are not valid URL characters; check the URL with them filled in.
  const candidate = placeholders ? value.replace(/\{(cart_id|session_id)\}/g, "x") : value
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return invalid(`\`${name}\` is not a valid absolute URL ("${value}"). Use a full URL such as https://shop.example/checkout.`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    invalid(`\`${name}\` must use http or https ("${value}"). Use a full URL such as https://shop.example/checkout.`)
  }
  return value.replace(/\/+$/, "")
}

/**
 * Checks the options and fills in defaults. Throws a MedusaError naming the
 * option and the fix, which stops Medusa's boot (the payment module loader
 * calls `validateOptions` before registering the provider).
 */
export function resolveOptions(raw: Record<string, unknown> | undefined): ResolvedOptions {
  const options = (raw ?? {}) as Partial<Record<keyof CoinGateOptions, unknown>>

  if (typeof options.apiToken !== "string" || options.apiToken.trim() === "") {
    invalid(
      "`apiToken` is required. Create an API app in the CoinGate dashboard (sandbox.coingate.com for sandbox) " +
        "and pass its token, e.g. `apiToken: process.env.COINGATE_API_TOKEN`."
    )
  }
  if (options.sandbox !== undefined && typeof options.sandbox !== "boolean") {
    invalid("`sandbox` must be true or false.")
  }
  const backendUrl = parseUrl("backendUrl", options.backendUrl)
  if (!backendUrl) {
    invalid(
      "`backendUrl` is required: the public URL of this Medusa backend, from which CoinGate's callback URL is built " +
        "(e.g. `backendUrl: \"https://api.shop.example\"`)."
    )
  }
  const apiUrl = parseUrl("apiUrl", options.apiUrl)
  if (apiUrl && /\/v2$/.test(apiUrl)) {
    invalid("`apiUrl` is an origin without `/v2` (requests go to `${apiUrl}/v2/...`).")
  }
  if (options.receiveCurrency !== undefined && (typeof options.receiveCurrency !== "string" || !/^[A-Za-z_]{2,20}$/.test(options.receiveCurrency))) {
    invalid("`receiveCurrency` must be a currency code such as `EUR`, `BTC` or `DO_NOT_CONVERT`.")
  }
  if (options.storeName !== undefined && (typeof options.storeName !== "string" || options.storeName.trim().length > 100)) {
    invalid("`storeName` must be a string of at most 100 characters (the shop's name on CoinGate's invoice).")
  }
  if (options.callbackSecret !== undefined && (typeof options.callbackSecret !== "string" || options.callbackSecret.length < 16)) {
    invalid("`callbackSecret` must be a string of at least 16 characters.")
  }
  const timeout = options.requestTimeoutMs
  if (timeout !== undefined && (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 100)) {
    invalid("`requestTimeoutMs` must be a whole number of milliseconds, at least 100.")
  }

  if (options.ledgerAccountId !== undefined && options.ledgerAccountId !== "" && (typeof options.ledgerAccountId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(options.ledgerAccountId))) {
    invalid("`ledgerAccountId` must be a CoinGate ledger account id (a ULID such as 01JNQWKKJ6WXN8BZT1Y66B6G9H).")
  }
  if (options.autoConfirmPayoutExchange !== undefined && typeof options.autoConfirmPayoutExchange !== "boolean") {
    invalid("`autoConfirmPayoutExchange` must be true or false.")
  }
  const logDays = options.callbackLogDays
  if (logDays !== undefined && (typeof logDays !== "number" || !Number.isInteger(logDays) || logDays < 1 || logDays > MAX_CALLBACK_LOG_DAYS)) {
    invalid(`\`callbackLogDays\` must be a whole number of days from 1 to ${MAX_CALLBACK_LOG_DAYS} (how long the callback log keeps each callback; default ${DEFAULT_CALLBACK_LOG_DAYS}), got ${JSON.stringify(logDays)}.`)
  }

  const sandbox = options.sandbox === true
  return {
    apiToken: (options.apiToken as string).trim(),
    sandbox,
    apiOrigin: apiUrl ?? (sandbox ? SANDBOX_API_ORIGIN : LIVE_API_ORIGIN),
    backendUrl: backendUrl!,
    successUrl: parseUrl("successUrl", options.successUrl, { placeholders: true }),
    cancelUrl: parseUrl("cancelUrl", options.cancelUrl, { placeholders: true }),
    receiveCurrency: (options.receiveCurrency as string | undefined)?.toUpperCase(),
    storeName: (options.storeName as string | undefined)?.trim() || undefined,
    callbackSecret: options.callbackSecret as string | undefined,
    requestTimeoutMs: (timeout as number | undefined) ?? DEFAULT_TIMEOUT_MS,
    ledgerAccountId: (options.ledgerAccountId as string | undefined) || undefined,
    autoConfirmPayoutExchange: options.autoConfirmPayoutExchange === true,
    callbackLogDays: (logDays as number | undefined) ?? DEFAULT_CALLBACK_LOG_DAYS,
  }
}
