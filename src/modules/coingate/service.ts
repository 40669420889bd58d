import { MedusaService } from "@medusajs/framework/utils"
import { CoinGateCallback } from "./models/coingate-callback"
import { CoinGateCallbackDay } from "./models/coingate-callback-day"
import { CoinGatePayment } from "./models/coingate-payment"
import { CoinGateRefund } from "./models/coingate-refund"
import { CoinGateRefundIntent } from "./models/coingate-refund-intent"

/**
 * Stores the plugin's record of each CoinGate order (see the model), of each refund or payout made
 * through CoinGate (`coingate_refund`, docs/refunds.md) and of each admin intent to make one
 * (`coingate_refund_intent`), and the log of callbacks received (`coingate_callback`, docs/admin.md) with its
 * daily size count (`coingate_callback_day`). Only
 * server code writes them; nothing here is public.
 */
class CoinGateModuleService extends MedusaService({ CoinGatePayment, CoinGateRefund, CoinGateRefundIntent, CoinGateCallback, CoinGateCallbackDay }) {}

export default CoinGateModuleService
