import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { CoinGateProviderService } from "./service"

export default ModuleProvider(Modules.PAYMENT, {
  services: [CoinGateProviderService],
})
