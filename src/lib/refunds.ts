/**
 * Pure rules of refunds and payouts (docs/refunds.md), one file per concern:
 * - `refund-request.ts`: validating what the admin asks, the request the admin route leaves in `payment.data`
 *   for the provider, and what the provider records there;
 * - `refund-amounts.ts`: exact decimal amounts;
 * - `refund-status.ts`: what each CoinGate status means, status changes, attention, send request exchanges;
 * - `refund-snapshots.ts`: what is kept of CoinGate's objects;
 * - `refund-options.ts`: coins, networks and ledger accounts for the admin form;
 * - `refund-mismatch.ts`: comparing an order's refunds with the ones Medusa made.
 */

export * from "./refund-amounts"
export * from "./refund-mismatch"
export * from "./refund-options"
export * from "./refund-request"
export * from "./refund-snapshots"
export * from "./refund-status"
