import { defineMiddlewares, validateAndTransformQuery } from "@medusajs/framework/http"
import { callbackLogQuerySchema } from "../callback-log/query"
import { consoleQuerySchema } from "../console/filters"
import { applyCoinGateBeforeCartCompletion } from "./store/coingate/cart-completion"
import { setCoinGateOrderText } from "./store/coingate/order-text"
import { startCoinGateSession } from "./store/coingate/payment-sessions"

export default defineMiddlewares({
  routes: [
    {
      // A CoinGate callback is a few KB; refuse anything much larger before parsing it.
      matcher: "/hooks/coingate",
      method: ["POST"],
      bodyParser: { sizeLimit: "64kb" },
    },
    // Refund and payout callbacks (docs/refunds.md): a few KB as well.
    { matcher: "/hooks/coingate/refunds/:token", method: ["POST"], bodyParser: { sizeLimit: "64kb" } },
    { matcher: "/hooks/coingate/send-requests/:token", method: ["POST"], bodyParser: { sizeLimit: "64kb" } },
    // The storefront's own cart completion goes through the plugin's apply path first (lock, record, one read).
    { matcher: "/store/carts/:id/complete", method: ["POST"], middlewares: [applyCoinGateBeforeCartCompletion] },
    // The CoinGate invoice's title and description: the shop and the cart's items (src/payments/rules/order-text.ts);
    // then an unchanged request reuses the open invoice, and new invoices are limited per cart (429 past it).
    { matcher: "/store/payment-collections/:id/payment-sessions", method: ["POST"], middlewares: [setCoinGateOrderText, startCoinGateSession] },
    // The operations console and the callback log (docs/admin.md, "Query parameters"): one set of rules for
    // dates, ranges, limit and offset (src/shared/query-params.ts); unknown or malformed parameters are a 400
    // naming them before the route runs, which reads the parsed query in req.validatedQuery.
    { matcher: "/admin/coingate/payments", method: ["GET"], middlewares: [validateAndTransformQuery(consoleQuerySchema("list"), {})] },
    { matcher: "/admin/coingate/payments/totals", method: ["GET"], middlewares: [validateAndTransformQuery(consoleQuerySchema("totals"), {})] },
    { matcher: "/admin/coingate/payments/export", method: ["GET"], middlewares: [validateAndTransformQuery(consoleQuerySchema("export"), {})] },
    { matcher: "/admin/coingate/callbacks", method: ["GET"], middlewares: [validateAndTransformQuery(callbackLogQuerySchema(), {})] },
  ],
})
