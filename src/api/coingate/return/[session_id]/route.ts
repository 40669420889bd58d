import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { shopperReturn } from "../../../../sources/shopper-return"

/**
 * Where CoinGate sends the shopper back (`success_url` / `cancel_url` of the invoice): the order is
 * re-read and applied, then the shopper goes on to the storefront (src/sources/shopper-return.ts).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const outcome = req.query.outcome === "cancel" ? "cancel" : "success"
  const answer = await shopperReturn(req.scope, req.params.session_id, outcome, req.query.return_token)
  if (answer.kind === "unknown") {
    res.status(404).type("text/plain").send("Unknown payment.")
  } else if (answer.kind === "redirect") {
    res.redirect(303, answer.url)
  } else {
    const text = outcome === "success" ? "Thank you. Your payment is being processed." : "The payment was canceled."
    res.status(200).type("text/html").send(`<!doctype html><meta charset="utf-8"><title>Payment</title><p>${text} You can close this page.</p>`)
  }
}
