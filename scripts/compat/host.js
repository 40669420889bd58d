"use strict"
/**
 * The throwaway host store of the compatibility suite (scripts/compat/run.js): what a merchant's
 * Medusa backend looks like, modeled on Medusa's starter (medusajs/dtc-starter's apps/backend),
 * at one Medusa version, with the plugin installed from its packed tarball.
 *
 *   .compat/hosts/<pm>-<version>/
 *     package.json        Medusa <version> (every @medusajs/* pinned, as the starter does),
 *                         @medusajs/ui at the version that Medusa's dashboard uses
 *     medusa-config.ts    the plugin and the provider, as the README's install section shows
 *     src/scripts/seed-demo.ts   copied from this repository with src/scripts/demo-seed/ (regions, shipping, products, key, admin user)
 *     .compat-host.json   the cache key: the host's dependencies are reinstalled only when it changes
 */
const fs = require("fs")
const path = require("path")
const crypto = require("crypto")

const REPO_ROOT = path.resolve(__dirname, "../..")

/** The @medusajs/ui version each Medusa version's dashboard depends on (`npm view @medusajs/dashboard@<v> dependencies`). */
const DASHBOARD_UI = {
  "2.13.0": "4.1.0", // below the floor: the suite checks it is refused
  "2.17.2": "4.1.19",
  "2.18.0": "4.2.0",
  "2.19.0": "4.2.1",
  "2.20.0": "4.2.2",
  "2.21.2": "4.2.6",
}

/** Major version of each package manager the suite fetches when a target names none (npm is the one running). */
const DEFAULT_MAJOR = { pnpm: "9", yarn: "1" }

/**
 * `2.18.0`, `2.18.0:pnpm`, `2.18.0:pnpm@10` or `2.18.0:yarn` (Yarn 1) -> { version, pm, tool, id }.
 * `tool` is the package manager to fetch from the npm registry (null for npm). Throws on anything else.
 */
function parseTarget(spec) {
  const m = /^\s*(\d+\.\d+\.\d+)(?::(npm|pnpm|yarn)(?:@(\d+))?)?\s*$/.exec(spec)
  if (!m) throw new Error(`bad compat target "${spec}": expected a Medusa version like 2.18.0, optionally :npm, :pnpm[@major] or :yarn`)
  const pm = m[2] || "npm"
  if (pm === "npm" && m[3]) throw new Error(`bad compat target "${spec}": npm is the one running this suite, without a version`)
  const major = pm === "npm" ? null : m[3] || DEFAULT_MAJOR[pm]
  const name = major && major !== DEFAULT_MAJOR[pm] ? `${pm}${major}` : pm
  return { version: m[1], pm, tool: major ? `${pm}@${major}` : null, name, id: `${name}-${m[1]}` }
}

/** COMPAT_VERSIONS / command-line list ("2.17.2,2.21.2:pnpm" or several arguments) -> targets, duplicates dropped. */
function parseTargets(list) {
  const specs = (Array.isArray(list) ? list : [list]).flatMap((s) => String(s).split(/[,\s]+/)).filter(Boolean)
  const seen = new Set()
  const targets = []
  for (const spec of specs) {
    const t = parseTarget(spec)
    if (!seen.has(t.id)) targets.push(t)
    seen.add(t.id)
  }
  return targets
}

/** The host store's package.json at a Medusa version (without the plugin: it is added from the tarball). */
function hostPackageJson({ version, pm }, { uiVersion } = {}) {
  const ui = uiVersion || DASHBOARD_UI[version]
  if (!ui) throw new Error(`no @medusajs/ui version known for Medusa ${version}: add it to DASHBOARD_UI in scripts/compat/host.js`)
  return {
    name: `compat-host-${pm}-${version.replace(/\./g, "-")}`,
    version: "0.0.0",
    private: true,
    scripts: { build: "medusa build", start: "medusa start", dev: "medusa develop" },
    dependencies: {
      "@medusajs/admin-sdk": version,
      "@medusajs/cli": version,
      "@medusajs/framework": version,
      "@medusajs/medusa": version,
      "@medusajs/ui": ui,
      "@tanstack/react-query": "5.64.2",
    },
    devDependencies: {
      "@swc/core": "^1.7.28",
      "@types/node": "^20.12.11",
      "@types/react": "^18.3.2",
      "@types/react-dom": "^18.2.25",
      react: "^18.3.1",
      "react-dom": "^18.3.1",
      "ts-node": "^10.9.2",
      typescript: "^5.6.2",
      vite: "^5.4.14",
      yalc: "^1.0.0-pre.53",
    },
    engines: { node: ">=20" },
  }
}

/** The host's medusa-config.ts: the README's install section, with the provider's options from the environment. */
const MEDUSA_CONFIG = `import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: process.env.MEDUSA_ADMIN_DISABLED === "true" },
  plugins: [{ resolve: "medusa-payment-coingate", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "medusa-payment-coingate/providers/coingate",
            id: "coingate",
            options: {
              apiToken: process.env.COINGATE_API_TOKEN,
              sandbox: true,
              apiUrl: process.env.COINGATE_API_URL,
              backendUrl: process.env.BACKEND_URL,
              successUrl: process.env.COINGATE_SUCCESS_URL,
              cancelUrl: process.env.COINGATE_CANCEL_URL,
            },
          },
        ],
      },
    },
  ],
})
`

const TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    esModuleInterop: true,
    module: "Node16",
    moduleResolution: "Node16",
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    outDir: "./.medusa/server",
    rootDir: "./",
    jsx: "react-jsx",
    forceConsistentCasingInFileNames: true,
    resolveJsonModule: true,
    checkJs: false,
    strictNullChecks: true,
  },
  "ts-node": { swc: true },
  include: ["**/*", ".medusa/types/*"],
  exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
}

/** Files of the host (other than node_modules), keyed by path inside it. */
function hostFiles(target, opts) {
  return {
    "package.json": JSON.stringify(hostPackageJson(target, opts), null, 2) + "\n",
    "medusa-config.ts": MEDUSA_CONFIG,
    "tsconfig.json": JSON.stringify(TSCONFIG, null, 2) + "\n",
    // pnpm: what dtc-starter's .npmrc says (pnpm 9 does the same by default).
    ...(target.pm === "pnpm" ? { ".npmrc": "auto-install-peers=true\n" } : {}),
    ...seedFiles(),
  }
}

/** The demo seed (src/scripts/seed-demo.ts) and the files it imports (src/scripts/demo-seed/), copied as they are. */
function seedFiles() {
  const files = {}
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`
      if (entry.isDirectory()) walk(rel)
      else if (entry.name.endsWith(".ts")) files[rel] = fs.readFileSync(path.join(REPO_ROOT, rel), "utf8")
    }
  }
  walk("src/scripts")
  return files
}

/** The cache key of a host's installed dependencies: its package.json and .npmrc as first written. */
function cacheKey(files) {
  return crypto
    .createHash("sha256")
    .update(files["package.json"])
    .update(files[".npmrc"] || "")
    .digest("hex")
    .slice(0, 16)
}

module.exports = { DASHBOARD_UI, parseTarget, parseTargets, hostPackageJson, hostFiles, cacheKey, MEDUSA_CONFIG }
