// @ts-check
"use strict"

const { HttpError, sendJson } = require("./http-util")
const { paginate } = require("./params")
const { REFUND_STATUSES, supportedRefundCurrencies } = require("./refunds")
const { PayoutStore, SEND_REQUEST_STATUSES, sendRequestView } = require("./send-requests")

/**
 * The payout routes (beneficiaries, payout settings, send requests), the JS API that installs them on
 * a simulator, and the control API for refunds and send requests.
 * @typedef {import("./index").Simulator} Simulator
 * @typedef {import("./send-requests").PayoutOptions} PayoutOptions
 */

/** `GET /v2/send_requests/supported-currencies`. */
function supportedPayoutCurrencies() {
  return supportedRefundCurrencies()
}

/** @type {import("./server").Route[]} */
const ROUTES = [
  {
    method: "GET", re: /^\/v2\/send_requests\/supported-currencies$/, name: "GET /v2/send_requests/supported-currencies", public: true,
    handle: (_sim, { res }) => sendJson(res, 200, supportedPayoutCurrencies()),
  },
  {
    method: "POST", re: /^\/v2\/beneficiaries$/, name: "POST /v2/beneficiaries",
    handle: (sim, { res, body }) => sendJson(res, 200, sim.payouts.createBeneficiary(body)),
  },
  {
    method: "GET", re: /^\/v2\/beneficiaries$/, name: "GET /v2/beneficiaries",
    handle: (sim, { res, url }) => {
      const list = [...sim.payouts.beneficiaries.values()].map((b) => sim.payouts.beneficiaryView(b))
      sendJson(res, 200, paginate(list, url.searchParams, "beneficiaries", "total_records"))
    },
  },
  {
    method: "GET", re: /^\/v2\/beneficiaries\/([^/]+)$/, name: "GET /v2/beneficiaries/:id",
    handle: (sim, { res, params }) => {
      const b = /^\d+$/.test(params[0]) ? sim.payouts.beneficiaries.get(Number(params[0])) : undefined
      if (!b) throw new HttpError(404, "Beneficiary not found", "BeneficiaryNotFound")
      sendJson(res, 200, sim.payouts.beneficiaryView(b))
    },
  },
  {
    method: "POST", re: /^\/v2\/beneficiary_payout_settings$/, name: "POST /v2/beneficiary_payout_settings",
    handle: (sim, { res, body }) => sendJson(res, 200, sim.payouts.createSetting(body)),
  },
  {
    method: "GET", re: /^\/v2\/beneficiary_payout_settings$/, name: "GET /v2/beneficiary_payout_settings",
    handle: (sim, { res, url }) => {
      const list = [...sim.payouts.settings.values()].map((s) => structuredClone(s))
      sendJson(res, 200, paginate(list, url.searchParams, "beneficiary_payout_settings", "total_records"))
    },
  },
  {
    method: "GET", re: /^\/v2\/beneficiary_payout_settings\/([^/]+)$/, name: "GET /v2/beneficiary_payout_settings/:id",
    handle: (sim, { res, params }) => {
      const s = /^\d+$/.test(params[0]) ? sim.payouts.settings.get(Number(params[0])) : undefined
      if (!s) throw new HttpError(404, "Record not found", "RecordNotFound")
      sendJson(res, 200, structuredClone(s))
    },
  },
  {
    method: "POST", re: /^\/v2\/send_requests$/, name: "POST /v2/send_requests",
    handle: (sim, { res, body }) => {
      const request = sim.payouts.create(body)
      sendJson(res, 200, sendRequestView(request, sim))
      // CoinGate sends the callback on creation too.
      Promise.resolve(sim.payouts.notify(request)).catch(() => {})
    },
  },
  {
    method: "GET", re: /^\/v2\/send_requests$/, name: "GET /v2/send_requests",
    handle: (sim, { res, url }) => {
      const list = [...sim.payouts.requests.values()].sort((a, b) => b.id - a.id).map((r) => sendRequestView(r, sim))
      sendJson(res, 200, paginate(list, url.searchParams, "send_requests", "total_records"))
    },
  },
  {
    method: "GET", re: /^\/v2\/send_requests\/(\d+)$/, name: "GET /v2/send_requests/:id",
    handle: (sim, { res, params }) => sendJson(res, 200, sendRequestView(sim.payouts.mustGet(params[0]), sim)),
  },
  {
    method: "PATCH", re: /^\/v2\/send_requests\/(\d+)\/confirm$/, name: "PATCH /v2/send_requests/:id/confirm",
    handle: async (sim, { res, params }) => {
      const request = sim.payouts.mustGet(params[0])
      const sent = sim.payouts.confirm(request)
      sendJson(res, 200, sendRequestView(request, sim))
      Promise.resolve(sent).catch(() => {})
    },
  },
  {
    method: "PATCH", re: /^\/v2\/send_requests\/(\d+)\/cancel$/, name: "PATCH /v2/send_requests/:id/cancel",
    handle: async (sim, { res, params }) => {
      const request = sim.payouts.mustGet(params[0])
      const sent = sim.payouts.cancel(request)
      sendJson(res, 200, sendRequestView(request, sim))
      Promise.resolve(sent).catch(() => {})
    },
  },
]

/**
 * Adds payouts to a simulator: `sim.payouts` (the store) and the JS API `getSendRequest`,
 * `listSendRequests`, `setSendRequestStatus`, `sendSendRequestCallback`, `setPayoutOptions`.
 * @param {Simulator} sim @param {Partial<PayoutOptions>} [options]
 */
function installSendRequests(sim, options = {}) {
  const s = /** @type {any} */ (sim)
  s.payouts = new PayoutStore(sim, options)
  /** Internal record (with `status_history`), or null. @param {number | string} id */
  s.getSendRequest = (id) => {
    const r = s.payouts.get(id)
    return r ? structuredClone(r) : null
  }
  s.listSendRequests = () => [...s.payouts.requests.values()].map((r) => structuredClone(r))
  /**
   * Moves a send request to any status and posts its callback; resolves to the first attempt.
   * @param {number | string} id @param {string} status @param {Record<string, any>} [opts]
   */
  s.setSendRequestStatus = (id, status, opts = {}) => s.payouts.setStatus(s.payouts.mustGet(id), status, opts)
  /** @param {number | string} id @param {Record<string, any>} [opts] */
  s.sendSendRequestCallback = (id, opts = {}) => {
    const sent = s.payouts.notify(s.payouts.mustGet(id), opts)
    if (!sent) throw new HttpError(422, "Send request has no callback_url (pass url)", "BadRequest")
    return sent
  }
  /**
   * How new send requests behave: `payout2fa` (created draft, awaiting 2FA in the dashboard),
   * `payoutExchange` ("auto" | "always" | "never": `actions_required`), `exchangeTtlMs`. Reset by `reset()`.
   * @param {Partial<PayoutOptions>} next
   */
  s.setPayoutOptions = (next) => {
    if (next.payoutExchange !== undefined && !["auto", "always", "never"].includes(next.payoutExchange)) {
      throw new HttpError(400, 'payoutExchange must be "auto", "always" or "never"', "BadRequest")
    }
    Object.assign(s.payouts.options, Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)))
    return { ...s.payouts.options }
  }
}

/**
 * Control API for refunds and send requests (mounted under `/__sim` by control.js). Returns false when
 * the path is not one of these.
 * @param {Simulator} sim @param {string} method @param {string} path @param {Record<string, any>} body
 * @param {import("http").ServerResponse} res
 */
async function handlePayoutControl(sim, method, path, body, res) {
  const s = /** @type {any} */ (sim)
  const obj = (/** @type {unknown} */ v) => (v && typeof v === "object" && !Array.isArray(v) ? /** @type {Record<string, unknown>} */ (v) : {})
  if (method === "GET" && path === "/__sim/refunds") return sendJson(res, 200, s.listRefunds()), true
  if (method === "GET" && path === "/__sim/send-requests") return sendJson(res, 200, s.listSendRequests()), true
  if (method === "GET" && path === "/__sim/ledger/accounts") return sendJson(res, 200, s.refunds.ledgerAccounts), true
  if (method === "POST" && path === "/__sim/payout-options") return sendJson(res, 200, s.setPayoutOptions(body)), true
  const refund = /^\/__sim\/refunds\/([^/]+)(?:\/(status|callback))?$/.exec(path)
  if (refund) {
    const [, id, action] = refund
    if (!s.getRefund(id)) throw new HttpError(404, "Refund not found", "RefundNotFound")
    if (method === "GET" && !action) return sendJson(res, 200, s.getRefund(id)), true
    if (method === "POST" && action === "status") {
      if (!REFUND_STATUSES.includes(body.status)) throw new HttpError(400, `status must be one of ${REFUND_STATUSES.join(", ")}`, "BadRequest")
      const callback = await s.setRefundStatus(id, body.status, {
        rejection_reason: body.rejection_reason,
        rejection_type: body.rejection_type,
        callback: body.callback !== false,
        fields: obj(body.fields),
        overrides: obj(body.overrides),
      })
      return sendJson(res, 200, { refund: s.getRefund(id), callback }), true
    }
    if (method === "POST" && action === "callback") {
      return sendJson(res, 200, await s.sendRefundCallback(id, { overrides: obj(body.overrides), format: body.format, url: body.url })), true
    }
  }
  const request = /^\/__sim\/send-requests\/([^/]+)(?:\/(status|callback))?$/.exec(path)
  if (request) {
    const [, id, action] = request
    if (!s.getSendRequest(id)) throw new HttpError(404, "Send request not found", "SendRequestNotFound")
    if (method === "GET" && !action) return sendJson(res, 200, s.getSendRequest(id)), true
    if (method === "POST" && action === "status") {
      if (!SEND_REQUEST_STATUSES.includes(body.status)) throw new HttpError(400, `status must be one of ${SEND_REQUEST_STATUSES.join(", ")}`, "BadRequest")
      const callback = await s.setSendRequestStatus(id, body.status, { callback: body.callback !== false, fields: obj(body.fields), overrides: obj(body.overrides) })
      return sendJson(res, 200, { send_request: s.getSendRequest(id), callback }), true
    }
    if (method === "POST" && action === "callback") {
      return sendJson(res, 200, await s.sendSendRequestCallback(id, { overrides: obj(body.overrides), format: body.format, url: body.url })), true
    }
  }
  return false
}

module.exports = { ROUTES, installSendRequests, handlePayoutControl, supportedPayoutCurrencies }
