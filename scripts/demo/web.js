"use strict"
/** The demo's checkout page: a static server for demo/, its config.json and the storefront helper as one module. */
const fs = require("fs")
const path = require("path")
const http = require("http")

const REPO_ROOT = path.resolve(__dirname, "../..")
const DEMO_DIR = path.join(REPO_ROOT, "demo")

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
}

/**
 * The package's storefront helper (src/storefront, `medusa-payment-coingate/storefront`) as one ES module
 * for the demo pages, bundled with esbuild (Vite's, a dev dependency) when the demo starts.
 */
function storefrontBundle() {
  const esbuild = require("esbuild")
  const out = esbuild.buildSync({
    entryPoints: [path.join(REPO_ROOT, "src", "storefront", "index.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
  })
  return out.outputFiles[0].text
}

/**
 * A tiny static server for demo/, answering /config.json from `config` (not from disk) and
 * /lib/coingate-storefront.js with the storefront helper.
 */
function startStaticServer({ port, root = DEMO_DIR, config, helper = storefrontBundle() }) {
  const rootReal = path.resolve(root)
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url || "/", "http://x")
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end()
      return
    }
    if (pathname === "/config.json") {
      res.writeHead(200, { "Content-Type": TYPES[".json"], "Cache-Control": "no-store" }).end(JSON.stringify(config, null, 2))
      return
    }
    if (pathname === "/lib/coingate-storefront.js") {
      res.writeHead(200, { "Content-Type": TYPES[".js"], "Cache-Control": "no-cache" }).end(req.method === "HEAD" ? undefined : helper)
      return
    }
    let file
    try {
      file = path.resolve(rootReal, "." + decodeURIComponent(pathname === "/" ? "/index.html" : pathname))
    } catch {
      res.writeHead(400).end()
      return
    }
    if (!file.startsWith(rootReal + path.sep)) {
      res.writeHead(403).end()
      return
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found")
        return
      }
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" })
      res.end(req.method === "HEAD" ? undefined : body)
    })
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "localhost", () => {
      server.removeListener("error", reject)
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((r) => {
            server.close(() => r())
            server.closeAllConnections()
          }),
      })
    })
  })
}

module.exports = { startStaticServer, storefrontBundle, DEMO_DIR }
