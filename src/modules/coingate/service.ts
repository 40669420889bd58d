import { MedusaService } from "@medusajs/framework/utils"
import { CoinGatePayment } from "./models/coingate-payment"

/** Stores the plugin's record of each CoinGate order (see the model). */
class CoinGateModuleService extends MedusaService({ CoinGatePayment }) {}

export default CoinGateModuleService
