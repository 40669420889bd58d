import { Module } from "@medusajs/framework/utils"
import CoinGateModuleService from "./service"

export const COINGATE_MODULE = "coingate"

export default Module(COINGATE_MODULE, {
  service: CoinGateModuleService,
})

export { CoinGateModuleService }
