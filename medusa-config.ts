import { defineConfig, loadEnv } from "@medusajs/framework/utils"

// The development store of this repository: it loads the plugin straight from `src/`
// (the routes, subscribers, jobs and admin widget as the project's own, the module and
// the provider by path) and talks to the local CoinGate simulator unless told otherwise.
loadEnv(process.env.NODE_ENV || "development", process.cwd())

const port = process.env.PORT ?? "9000"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS ?? "http://localhost:8000,http://127.0.0.1:8000",
      adminCors: process.env.ADMIN_CORS ?? `http://localhost:${port},http://127.0.0.1:${port}`,
      authCors: process.env.AUTH_CORS ?? `http://localhost:${port},http://127.0.0.1:${port},http://localhost:8000`,
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLED === "true",
  },
  modules: [
    { resolve: "./src/modules/coingate" },
    // Medusa's default notification module has notification-local on the admin's `feed` channel, where the
    // plugin announces new attention flags. NOTIFICATION_FEED=off runs a store without any notification
    // provider (integration-tests/http/attention-notice-without-feed.spec.ts).
    ...(process.env.NOTIFICATION_FEED === "off" ? [{ resolve: "@medusajs/medusa/notification", options: { providers: [] } }] : []),
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "./src/providers/coingate",
            id: "coingate",
            options: {
              apiToken: process.env.COINGATE_API_TOKEN ?? "sim_test_token",
              sandbox: process.env.COINGATE_SANDBOX !== "false",
              apiUrl: process.env.COINGATE_API_URL ?? "http://127.0.0.1:4010",
              backendUrl: process.env.BACKEND_URL ?? `http://localhost:${port}`,
              successUrl: process.env.COINGATE_SUCCESS_URL,
              cancelUrl: process.env.COINGATE_CANCEL_URL,
              receiveCurrency: process.env.COINGATE_RECEIVE_CURRENCY,
              // Refunds and payouts (docs/refunds.md).
              ledgerAccountId: process.env.COINGATE_LEDGER_ACCOUNT_ID,
              autoConfirmPayoutExchange: process.env.COINGATE_AUTO_CONFIRM_PAYOUT_EXCHANGE === "true",
            },
          },
        ],
      },
    },
  ],
})
