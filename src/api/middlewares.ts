import { defineMiddlewares } from "@medusajs/framework/http"

export default defineMiddlewares({
  routes: [
    {
      // A CoinGate callback is a few KB; refuse anything much larger before parsing it.
      matcher: "/hooks/coingate",
      method: ["POST"],
      bodyParser: { sizeLimit: "64kb" },
    },
  ],
})
