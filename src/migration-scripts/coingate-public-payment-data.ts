import type { ExecArgs } from "@medusajs/framework/types"
import { removeInternalPaymentData } from "../payments/legacy-payment-data"

/** Run once by `medusa db:migrate`: payments' data keeps only the public CoinGate fields (see src/payments/legacy-payment-data.ts). */
export default async function coingatePublicPaymentData({ container }: ExecArgs) {
  await removeInternalPaymentData(container)
}
