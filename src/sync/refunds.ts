/**
 * Medusa glue of refunds and payouts through CoinGate (docs/refunds.md), one file per concern:
 * - `refund-start.ts`: the admin's refund form (`startCoinGateRefund`);
 * - `refund-records.ts`: the records of each refund or payout (`coingate_refund`) and applying what
 *   CoinGate's API says about one (`applyRemoteRefund`);
 * - `refund-remote.ts`: reading one from the API, answering a payout's exchange, the admin's refresh;
 * - `refund-callbacks.ts`: the tokenized refund and payout callbacks (`handleRefundCallback`);
 * - `refund-order-check.ts`: the check of an order's refunds inside the state applier (`checkCoinGateOrderRefunds`);
 * - `refund-views.ts`: the admin views (`orderRefundsView`, `refundView`, `refundOptions`);
 * - `refund-orders.ts`: Medusa's order and CoinGate payments as those read them.
 */

export { handleRefundCallback } from "./refund-callbacks"
export type { CallbackAnswer } from "./refund-callbacks"
export { checkCoinGateOrderRefunds } from "./refund-order-check"
export { applyRemoteRefund, findRefundRecord, listRefundRecords, recordFromEntry } from "./refund-records"
export type { CoinGateRefundRecord, RefundHistoryEntry, RefundSource } from "./refund-records"
export { refreshOrderRefunds } from "./refund-remote"
export { startCoinGateRefund } from "./refund-start"
export type { StartRefundResult } from "./refund-start"
export { orderRefundsView, refundOptions, refundView } from "./refund-views"
export type { AdminCoinGateRefund, AdminOrderRefunds } from "./refund-views"
