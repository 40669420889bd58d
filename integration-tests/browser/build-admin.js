#!/usr/bin/env node
"use strict"
/**
 * Builds the development store's Medusa admin (the dashboard plus this repository's
 * `src/admin` extensions) with Medusa's own bundler, exactly as `medusa build` does,
 * but into a private folder so that a browser test never touches `.medusa/` or
 * `public/admin`, which other tools of the repository use.
 *
 *   node integration-tests/browser/build-admin.js <outDir>
 *
 * Skips the build when <outDir> already holds a build of the same sources
 * (a hash of src/admin and the dashboard's version, kept in <outDir>/.source-hash).
 */
const crypto = require("crypto")
const fs = require("fs")
const path = require("path")

const REPO_ROOT = path.resolve(__dirname, "../..")
const ADMIN_SOURCES = path.join(REPO_ROOT, "src/admin")

function listFiles(dir) {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? listFiles(p) : [p]
  })
}

function sourceHash() {
  const hash = crypto.createHash("sha256")
  for (const pkg of ["@medusajs/dashboard", "@medusajs/admin-bundler", "@medusajs/ui"]) {
    const manifest = path.join(REPO_ROOT, "node_modules", pkg, "package.json")
    hash.update(`${pkg}@${fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")).version : "?"}\n`)
  }
  for (const file of listFiles(ADMIN_SOURCES).sort()) {
    hash.update(path.relative(REPO_ROOT, file)).update("\0").update(fs.readFileSync(file)).update("\0")
  }
  return hash.digest("hex")
}

async function buildAdmin(outDir, { log = (m) => process.stdout.write(`${m}\n`) } = {}) {
  outDir = path.resolve(outDir)
  const hashFile = path.join(outDir, ".source-hash")
  const hash = sourceHash()
  if (fs.existsSync(path.join(outDir, "index.html")) && fs.existsSync(hashFile) && fs.readFileSync(hashFile, "utf8") === hash) {
    log(`admin build in ${path.relative(REPO_ROOT, outDir)} is up to date`)
    return { outDir, built: false }
  }
  // The bundler writes its entry files to <cwd>/.medusa/client: use a private working folder.
  const workDir = `${outDir}-work`
  fs.mkdirSync(workDir, { recursive: true })
  process.chdir(workDir)
  const started = Date.now()
  const { build } = require("@medusajs/admin-bundler")
  // The same options `medusa build` passes (the store's `admin` config: medusa-config.ts
  // sets none but `disable`, so Medusa's defaults), with the project's src/admin as source.
  await build({
    disable: false,
    path: "/app",
    backendUrl: "/",
    maxUploadFileSize: 1024 * 1024,
    sources: [ADMIN_SOURCES],
    plugins: [],
    outDir,
  })
  fs.writeFileSync(hashFile, hash)
  log(`admin built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return { outDir, built: true }
}

if (require.main === module) {
  const outDir = process.argv[2]
  if (!outDir) {
    console.error("usage: build-admin.js <outDir>")
    process.exit(2)
  }
  buildAdmin(outDir).then(
    () => process.exit(0),
    (e) => {
      console.error(e)
      process.exit(1)
    }
  )
}

module.exports = { buildAdmin, sourceHash }
