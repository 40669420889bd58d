/**
 * `medusa-payment-coingate/storefront`: what a storefront needs for CoinGate, framework-agnostic
 * (plain `fetch` against the store API with the publishable key; no React, Next.js or Medusa
 * import), for a browser page or a server action alike. docs/storefront.md shows it in dtc-starter.
 *
 * - `startCoinGatePayment`: one CoinGate invoice per checkout (reused until the cart's total or
 *   currency changes), `paymentUrl` to redirect to.
 * - `watchCoinGateReturn` / `returnView`: the return page (what to show, polling, completing the cart once).
 * - `checkCart`: a cart completed while the shopper was away (clear the cart cookie, show the order).
 * - `copyCart`: a new cart like a canceled order-first order's, for "Try again".
 */
export { storeClient, StoreApiError } from "./client"
export type { StoreClient, StoreClientOptions, StoreRequest } from "./client"
export { startCoinGatePayment, reusableSession, coingateProviderId, loadCart, isCoinGateSession, CART_FIELDS } from "./session"
export type { CoinGateSession, CartForPayment, StartInput, StartResult } from "./session"
export { returnView, furtherStatus } from "./return-state"
export type { ReturnView, ReturnViewKind, SyncAnswer } from "./return-state"
export { watchCoinGateReturn, syncPayment, orderDisplayId } from "./return-watch"
export type { WatchOptions, WatchResult } from "./return-watch"
export { checkCart } from "./completed-cart"
export type { CartCheck } from "./completed-cart"
export { copyCart, COPY_FIELDS } from "./copy-cart"
