import { MedusaService } from "@medusajs/framework/utils"
import { CoinGatePayment } from "./models/coingate-payment"
import { CoinGateRefund } from "./models/coingate-refund"

/**
 * Stores the plugin's record of each CoinGate order (see the model) and of each refund or payout made
 * through CoinGate (`coingate_refund`, docs/refunds.md).
 */
class CoinGateModuleService extends MedusaService({ CoinGatePayment, CoinGateRefund }) {}

export default CoinGateModuleService
