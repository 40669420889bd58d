import { defineConfig } from "@medusajs/framework/utils"

// The development store WITHOUT the CoinGate plugin, for the footprint comparison of
// `npm run bench` (bench/footprint.js). Same settings as the repository's
// medusa-config.ts, minus the CoinGate module and provider. It lives in its own folder
// because `medusa start` takes the project from the working directory: started here,
// Medusa loads this config and this folder's (absent) src/, so none of the plugin's
// routes, subscribers or jobs are loaded either.
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
})
