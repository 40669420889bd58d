/**
 * The few store API calls the storefront helper makes, with `fetch` and the publishable key.
 * No Medusa, React or Next.js import: it runs in a browser, in a Next.js server action or in Node.
 * Whatever it sends is a storefront's request like any other: the backend trusts none of it.
 */
export type StoreClientOptions = {
  /** The Medusa backend's URL, e.g. `http://localhost:9000`. */
  backendUrl: string
  /** The publishable API key (it selects the sales channel). */
  publishableKey: string
  /** Extra headers per request (a logged-in customer's `authorization`, a locale). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>
  /** `fetch` to use (default: the global one). */
  fetch?: typeof fetch
}

export type StoreRequest = { method?: "GET" | "POST" | "DELETE"; body?: unknown }

export type StoreClient = <T = any>(path: string, request?: StoreRequest) => Promise<T>

/** A store API answer other than 2xx: its status, Medusa's message, and Retry-After when given. */
export class StoreApiError extends Error {
  readonly status: number
  readonly type?: string
  /** From a `Retry-After` header (the plugin's sync route answers 503 with one when CoinGate cannot be asked now). */
  readonly retryAfterMs?: number
  constructor(message: string, status: number, type?: string, retryAfterMs?: number) {
    super(message)
    this.name = "StoreApiError"
    this.status = status
    this.type = type
    this.retryAfterMs = retryAfterMs
  }
}

/** A client for the store API: `client(path, { method, body })` resolves the parsed JSON body. */
export function storeClient(options: StoreClientOptions): StoreClient {
  const base = String(options.backendUrl ?? "").replace(/\/+$/, "")
  if (!/^https?:\/\//i.test(base)) throw new Error("storeClient: backendUrl must be the backend's http(s) URL")
  if (!options.publishableKey) throw new Error("storeClient: publishableKey is required")
  const doFetch = options.fetch ?? globalThis.fetch
  return async function call<T>(path: string, { method = "GET", body }: StoreRequest = {}): Promise<T> {
    const extra = options.headers ? await options.headers() : {}
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: {
        ...extra,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        "x-publishable-api-key": options.publishableKey,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    })
    const data: any = await res.json().catch(() => ({}))
    if (!res.ok) {
      const retryAfter = Number(res.headers.get("retry-after"))
      throw new StoreApiError(
        typeof data?.message === "string" ? data.message : `${method} ${path}: HTTP ${res.status}`,
        res.status,
        typeof data?.type === "string" ? data.type : undefined,
        Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined
      )
    }
    return data as T
  }
}
