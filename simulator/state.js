// @ts-check
"use strict"

const fs = require("fs")
const path = require("path")
const payments = require("./payments")

/**
 * The simulator's state on disk (option `stateFile`, CLI `--state-file`, env COINGATE_SIM_STATE_FILE):
 * orders, refunds, ledger accounts and journal, conversions, beneficiaries, send requests and the API
 * callback log, so that a restart (the demo's, a merchant's own) keeps what the store's database
 * remembers. Written atomically (a temporary file renamed over the old one) shortly after each change
 * and on close; read at start. Timers come back from the records: unpaid invoices expire at their
 * time, open payout exchanges at theirs. Callback retries in flight and the request log are not kept.
 */

const VERSION = 1

/** @param {any} sim */
function snapshot(sim) {
  return {
    version: VERSION,
    saved_at: new Date().toISOString(),
    orders: { nextId: sim.store.nextId, list: sim.store.all(), nextTxId: payments.nextTxId() },
    refunds: { nextId: sim.refunds.nextId, list: [...sim.refunds.refunds.values()], ledgerAccounts: sim.refunds.ledgerAccounts },
    ledger: { entries: sim.ledger.entries },
    conversions: { list: [...sim.conversions.conversions.values()] },
    payouts: {
      nextBeneficiaryId: sim.payouts.nextBeneficiaryId,
      nextSettingId: sim.payouts.nextSettingId,
      nextRequestId: sim.payouts.nextRequestId,
      beneficiaries: [...sim.payouts.beneficiaries.values()],
      settings: [...sim.payouts.settings.values()],
      requests: [...sim.payouts.requests.values()],
    },
    apiCallbacks: { nextId: sim.apiCallbacks.nextId, list: [...sim.apiCallbacks.callbacks.values()] },
  }
}

/** Writes the state atomically. @param {any} sim @param {string} file */
function saveState(sim, file) {
  const text = JSON.stringify(snapshot(sim))
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, text)
  fs.renameSync(tmp, file)
}

/**
 * Reads a state file into a fresh simulator (before it listens). A missing file is an empty state;
 * an unreadable one is an error (rather than silently starting empty over a store's data).
 * @param {any} sim @param {string} file @returns {boolean} whether a state was loaded
 */
function loadState(sim, file) {
  if (!fs.existsSync(file)) return false
  const state = JSON.parse(fs.readFileSync(file, "utf8"))
  if (!state || state.version !== VERSION) throw new Error(`${file}: not a simulator state file (version ${state && state.version})`)
  const byId = (/** @type {any[]} */ list, key = "id") => new Map(list.map((x) => [x[key], x]))
  sim.store.orders = byId(state.orders.list)
  sim.store.nextId = Math.max(sim.store.nextId, state.orders.nextId)
  payments.nextTxId(state.orders.nextTxId)
  sim.refunds.refunds = byId(state.refunds.list)
  sim.refunds.nextId = state.refunds.nextId
  sim.refunds.ledgerAccounts = state.refunds.ledgerAccounts
  sim.ledger.entries = state.ledger.entries
  sim.conversions.conversions = byId(state.conversions.list)
  const p = state.payouts
  Object.assign(sim.payouts, { nextBeneficiaryId: p.nextBeneficiaryId, nextSettingId: p.nextSettingId, nextRequestId: p.nextRequestId })
  sim.payouts.beneficiaries = byId(p.beneficiaries)
  sim.payouts.settings = byId(p.settings)
  sim.payouts.requests = byId(p.requests)
  sim.apiCallbacks.callbacks = byId(state.apiCallbacks.list)
  sim.apiCallbacks.nextId = state.apiCallbacks.nextId
  for (const order of sim.store.all()) {
    if (order.status === "new") sim.store.scheduleExpiry(order, Date.parse(order.created_at) + sim.store.opts.newTtlMs)
    else if (order.status === "pending" && order.expire_at) sim.store.scheduleExpiry(order, Date.parse(order.expire_at))
  }
  for (const request of sim.payouts.requests.values()) {
    if (request.status === "draft" && request.actions_required) sim.payouts.scheduleExchangeExpiry(request)
  }
  return true
}

module.exports = { saveState, loadState, snapshot }
