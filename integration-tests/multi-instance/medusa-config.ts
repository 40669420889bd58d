import { defineConfig, loadEnv } from "@medusajs/framework/utils"

/**
 * The store config of the several-instances suite: the repository's development store
 * (medusa-config.ts at the root) plus Medusa's Redis modules, so that several `medusa start`
 * processes on one database share events, workflows, scheduled jobs, cache and locks.
 * The suite copies this file into a temporary app folder whose `src` and `node_modules`
 * point back at the repository (Medusa reads medusa-config from the working directory).
 * docs/reliability.md shows the same modules for a real store.
 */
loadEnv(process.env.NODE_ENV || "development", process.cwd())

const port = process.env.PORT ?? "9000"
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server") ?? "shared",
    http: {
      storeCors: process.env.STORE_CORS ?? "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS ?? `http://localhost:${port}`,
      authCors: process.env.AUTH_CORS ?? `http://localhost:${port}`,
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: true },
  modules: [
    { resolve: "./src/modules/coingate" },
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "./src/providers/coingate",
            id: "coingate",
            options: {
              apiToken: process.env.COINGATE_API_TOKEN ?? "sim_test_token",
              sandbox: true,
              apiUrl: process.env.COINGATE_API_URL ?? "http://127.0.0.1:4010",
              backendUrl: process.env.BACKEND_URL ?? `http://localhost:${port}`,
            },
          },
        ],
      },
    },
    // Medusa's Redis modules: events, workflows (and scheduled jobs), cache and locks shared by every instance.
    { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
    { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
    { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
    {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }],
      },
    },
  ],
})
