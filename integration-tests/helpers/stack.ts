import path from "path"
import net from "net"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../simulator")

export const REPO_ROOT = path.resolve(__dirname, "../..")
export const SIM_TOKEN = "sim_integration_token"

export type Simulator = {
  url: string
  getOrder(id: number | string): any
  listOrders(): any[]
  /** Forces a status; `overrides` change the callback only, `fields` the stored order (what the API returns). */
  setStatus(
    id: number | string,
    status: string,
    opts?: { callback?: boolean; overrides?: Record<string, unknown>; fields?: Record<string, unknown> }
  ): Promise<any>
  pay(id: number | string, opts?: { kind?: "full" | "underpay" | "overpay"; payCurrency?: string; confirm?: boolean }): Promise<any>
  chooseCoin(id: number | string, payCurrency?: string): Promise<any>
  cancel(id: number | string): Promise<any>
  /** Live options: tests may change `apiTokens` (to make CoinGate refuse the token). */
  options: { apiTokens: string[]; [option: string]: unknown }
  sendCallback(id: number | string, opts?: { overrides?: Record<string, unknown>; format?: "form" | "json"; url?: string }): Promise<{ status: number | string; body: any }>
  injectFault(fault: Record<string, unknown>): void
  clearFaults(): void
  callbackLog: any[]
  requestLog: any[]
  stats(): any
  reset(): void
  close(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts the CoinGate simulator before the Medusa app boots and points the development
 * store's config (medusa-config.ts) at it through the environment. Call at the top level
 * of a spec file, before `medusaIntegrationTestRunner`, so its `beforeAll` runs first.
 */
export function useSimulator(options: Record<string, unknown> = {}): { sim: () => Simulator; backendUrl: () => string } {
  let sim: Simulator
  let backendUrl = ""
  beforeAll(async () => {
    const port = await freePort()
    backendUrl = `http://localhost:${port}`
    // Callback retries run on CoinGate's schedule scaled down (1 min -> 30 ms); invoices do not
    // expire on their own during a test unless a spec asks (expiry is driven with setStatus).
    sim = await startSimulator({
      apiTokens: [SIM_TOKEN],
      timeScale: 0.0005,
      callbackTimeoutMs: 20_000,
      newOrderTtlMs: 3_600_000,
      pendingTtlMs: 3_600_000,
      // CoinGate's 200 requests/min and 500 orders/h are off: the suite drives far more than a store does.
      rateLimitPerMinute: 0,
      orderQuotaPerHour: 0,
      ...options,
    })
    process.env.PORT = String(port)
    process.env.BACKEND_URL = backendUrl
    process.env.COINGATE_API_URL = sim.url
    process.env.COINGATE_API_TOKEN = SIM_TOKEN
    process.env.COINGATE_SUCCESS_URL = "http://localhost:8000/checkout/coingate/{cart_id}?session={session_id}"
    process.env.COINGATE_CANCEL_URL = "http://localhost:8000/checkout?canceled={cart_id}"
  })
  afterAll(async () => {
    await sim?.close()
  })
  return { sim: () => sim, backendUrl: () => backendUrl }
}
