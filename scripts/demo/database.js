"use strict"
/** The demo's database: its URL, and creating or dropping it on the PostgreSQL that scripts/postgres.js found. */

function databaseUrlFor(db, name) {
  const auth = `${encodeURIComponent(db.user)}${db.password ? `:${encodeURIComponent(db.password)}` : ""}`
  return `postgres://${auth}@${db.host}:${db.port}/${name}`
}

function pgClient(db, database = "postgres") {
  let Client
  try {
    Client = require("pg").Client
  } catch {
    Client = require("@medusajs/framework/pg").Client
  }
  const client = new Client({ host: db.host, port: db.port, user: db.user, password: db.password, database })
  client.on("error", () => {})
  return client
}

function checkDbName(name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${name} (lower case letters, digits, _)`)
}

/** Creates the database if it does not exist. Resolves true when it was created. */
async function ensureDatabase(db, name) {
  checkDbName(name)
  const client = pgClient(db)
  await client.connect()
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
    if (rowCount > 0) return false
    await client.query(`CREATE DATABASE "${name}"`)
    return true
  } finally {
    await client.end().catch(() => {})
  }
}

async function dropDatabase(db, name) {
  checkDbName(name)
  const client = pgClient(db)
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  } finally {
    await client.end().catch(() => {})
  }
}

module.exports = { databaseUrlFor, pgClient, checkDbName, ensureDatabase, dropDatabase }
