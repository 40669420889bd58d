// @ts-check
"use strict"

const currencies = require("./currencies")
const money = require("./money")
const { HttpError, readBody, parseBody, sendJson, sendText, redirect } = require("./http-util")

/** @typedef {import("./index").Simulator} Simulator */
/** @typedef {import("./orders").Order} Order */

const COINS = ["BTC", "ETH", "LTC", "USDT"]

/**
 * What is still due and what was received so far, in the pay currency (null before a coin is chosen).
 * @param {Order} o
 */
function dueAndReceived(o) {
  if (!o.pay_amount) return { amount_due: null, amount_received: null }
  const underpaid = money.dec(o.underpaid_amount || "0")
  if (!money.isPositive(underpaid)) return { amount_due: o.pay_amount, amount_received: null }
  return { amount_due: money.cg(underpaid), amount_received: money.cg(money.sub(money.dec(o.pay_amount), underpaid)) }
}

/** What the page (and its poller) may see: never the token. @param {Order} o */
function invoiceState(o) {
  return {
    ...dueAndReceived(o),
    id: o.id,
    uuid: o.uuid,
    status: o.status,
    title: o.title,
    description: o.description,
    price_amount: o.price_amount,
    price_currency: o.price_currency,
    pay_currency: o.pay_currency,
    pay_amount: o.pay_amount,
    payment_address: o.payment_address,
    payment_request_uri: o.payment_request_uri,
    expire_at: o.expire_at,
    paid_at: o.paid_at,
    underpaid_amount: o.underpaid_amount,
    overpaid_amount: o.overpaid_amount,
    success_url: o.success_url,
    cancel_url: o.cancel_url,
    server_time: new Date().toISOString(),
  }
}

/** @param {unknown} s */
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * The way back to the store, there in every state like on CoinGate's invoice: to `success_url` once
 * the money is sent (confirming, paid, refunded), else to `cancel_url`.
 * @param {Order} o
 */
function backLink(o) {
  if (["confirming", "paid", "refunded", "partially_refunded"].includes(o.status)) return o.success_url || o.cancel_url
  return o.cancel_url || o.success_url
}

/** The back link's label. @param {string} status */
const backLabel = (status) => (["confirming", "paid", "refunded", "partially_refunded"].includes(status) || ["canceled", "expired", "invalid"].includes(status) ? "Back to store" : "Return to store without paying")

/** @param {Order} o */
function renderPage(o) {
  const base = `/invoice/${encodeURIComponent(o.uuid)}`
  const st = o.status
  const canPay = st === "new" || st === "pending"
  const dis = (/** @type {boolean} */ on) => (on ? "" : " disabled")
  const back = backLink(o)
  const state = JSON.stringify(invoiceState(o)).replace(/</g, "\\u003c")
  const coinButtons = COINS.map((c) =>
    `<button type="submit" name="currency" value="${c}" id="coin-${c}" class="coin"${dis(st === "new")}>${esc(currencies.get(c).title)} <small>${c}</small></button>`).join("")
  const action = (/** @type {string} */ id, /** @type {string} */ path, /** @type {string} */ label, /** @type {boolean} */ on, kind = "") =>
    `<form method="post" action="${base}/${path}">${kind ? `<input type="hidden" name="kind" value="${kind}">` : ""}` +
    `<button type="submit" id="${id}"${dis(on)}>${label}</button></form>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title || "Invoice")} · CoinGate simulator</title>
<style>
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#eef1f6;color:#1d2433}
main{max-width:480px;margin:40px auto;background:#fff;border-radius:14px;box-shadow:0 6px 24px #1d243320;overflow:hidden}
header{background:#1f3bb3;color:#fff;padding:18px 22px}header h1{margin:0;font-size:18px}header p{margin:4px 0 0;opacity:.8;font-size:13px}
section{padding:16px 22px;border-top:1px solid #eef1f6}.price{font-size:28px;font-weight:700}.muted{color:#6b7385;font-size:13px}
#status{display:inline-block;padding:2px 10px;border-radius:99px;background:#e6e9f2;font-weight:600}
#status[data-status=paid]{background:#d3f5df;color:#126b35}#status[data-status=expired],#status[data-status=canceled],#status[data-status=invalid]{background:#fde2e2;color:#9b1c1c}
#status[data-status=pending],#status[data-status=confirming]{background:#fff3cd;color:#7a5b00}
.coins{display:grid;grid-template-columns:1fr 1fr;gap:8px}button{width:100%;padding:10px;border:1px solid #c9cfdd;border-radius:8px;background:#f7f8fb;font:inherit;cursor:pointer}
button:hover:not([disabled]){background:#e9edf7}button[disabled]{opacity:.45;cursor:not-allowed}#pay-full{background:#1f3bb3;color:#fff;border-color:#1f3bb3}
.actions{display:grid;grid-template-columns:1fr 1fr;gap:8px}form{margin:0}code{word-break:break-all;background:#f3f4f8;padding:2px 6px;border-radius:4px}
#back-to-store{display:block;text-align:center;padding:12px;background:#126b35;color:#fff;border-radius:8px;text-decoration:none;font-weight:600}
.hidden{display:none!important}.warn{color:#9b1c1c}
</style></head><body><main>
<header><h1 id="merchant-title">${esc(o.title || "Merchant order")}</h1><p>CoinGate simulator · invoice #${o.id}${o.order_id ? ` · order ${esc(o.order_id)}` : ""}</p></header>
<section><div class="price"><span id="price-amount">${esc(o.price_amount)}</span> <span id="price-currency">${esc(o.price_currency)}</span></div>
${o.description ? `<div class="muted" id="description">${esc(o.description)}</div>` : ""}
<p>Status: <span id="status" data-status="${esc(st)}">${esc(st)}</span></p></section>
<section id="select-coin" class="${st === "new" ? "" : "hidden"}"><p>Pay with</p><form method="post" action="${base}/select" class="coins">${coinButtons}</form></section>
<section id="payment" class="${o.pay_currency && (st === "pending" || st === "confirming") ? "" : "hidden"}">
<p>Send <b id="pay-amount">${esc(invoiceState(o).amount_due)}</b> <b id="pay-currency">${esc(o.pay_currency)}</b> to</p>
<p><code id="pay-address">${esc(o.payment_address)}</code></p>
<p class="muted">Expires in <span id="countdown">--:--</span></p>
<p id="underpaid" class="warn ${Number(o.underpaid_amount) > 0 ? "" : "hidden"}">Received <span id="received-amount">${esc(invoiceState(o).amount_received)} ${esc(o.pay_currency)}</span> of ${esc(o.pay_amount)}; <span id="underpaid-amount">${esc(o.underpaid_amount)} ${esc(o.pay_currency)}</span> still due</p></section>
<section class="actions">
${action("pay-full", "pay", "Pay in full", canPay, "full")}
${action("pay-under", "pay", "Underpay", canPay, "underpay")}
${action("pay-late", "pay", "Pay late (after expiry)", canPay || st === "expired" || st === "canceled", "late")}
${action("cancel", "cancel", "Cancel", canPay)}
</section>
<section id="done" class="${back ? "" : "hidden"}"><a id="back-to-store" href="${esc(back || "#")}">${backLabel(st)}</a></section>
</main>
<script>
(function () {
  var state = ${state};
  var base = ${JSON.stringify(base)};
  function $(id) { return document.getElementById(id) }
  function show(id, on) { $(id).classList.toggle("hidden", !on) }
  function render(s) {
    state = s;
    var st = s.status, canPay = st === "new" || st === "pending";
    $("status").textContent = st; $("status").setAttribute("data-status", st);
    show("select-coin", st === "new");
    show("payment", !!s.pay_currency && (st === "pending" || st === "confirming"));
    $("pay-amount").textContent = s.amount_due || ""; $("pay-currency").textContent = s.pay_currency || "";
    $("pay-address").textContent = s.payment_address || "";
    show("underpaid", Number(s.underpaid_amount) > 0); $("underpaid-amount").textContent = s.underpaid_amount + " " + (s.pay_currency || "");
    $("received-amount").textContent = (s.amount_received || "") + " " + (s.pay_currency || "");
    ["BTC", "ETH", "LTC", "USDT"].forEach(function (c) { $("coin-" + c).disabled = st !== "new" });
    $("pay-full").disabled = !canPay; $("pay-under").disabled = !canPay;
    $("pay-late").disabled = !(canPay || st === "expired" || st === "canceled"); $("cancel").disabled = !canPay;
    var sent = st === "confirming" || st === "paid" || st === "refunded" || st === "partially_refunded";
    var ended = st === "canceled" || st === "expired" || st === "invalid";
    var back = sent ? (s.success_url || s.cancel_url) : (s.cancel_url || s.success_url);
    show("done", !!back); if (back) $("back-to-store").href = back;
    $("back-to-store").textContent = sent || ended ? "Back to store" : "Return to store without paying";
    tick();
  }
  function tick() {
    if (!state.expire_at) { $("countdown").textContent = "--:--"; return }
    var left = Math.max(0, Math.floor((Date.parse(state.expire_at) - Date.now()) / 1000));
    $("countdown").textContent = String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0");
  }
  function refresh() {
    return fetch(base + "/status", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null }).then(function (s) { if (s) render(s) }).catch(function () {});
  }
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      if (ev.submitter && ev.submitter.name) data.set(ev.submitter.name, ev.submitter.value);
      fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" } })
        .then(function (r) { return r.json() }).then(function (s) {
          if (s && s.status) {
            render(s);
            if (s.status === "canceled" && s.cancel_url && /\\/cancel$/.test(form.action)) location.href = s.cancel_url;
          } else if (s && s.message) alert(s.message);
        });
    });
  });
  render(state);
  setInterval(tick, 1000); setInterval(refresh, 1000);
})();
</script></body></html>`
}

/**
 * Routes under `/invoice/:uuid`: the page, `/status` (JSON) and the shopper's actions
 * (`/select`, `/pay` with kind full|underpay|overpay|late, `/cancel`). Actions answer JSON when the
 * client asks for it (Accept: application/json), otherwise redirect (303) back to the page, or to
 * `cancel_url` after a cancel.
 * @param {Simulator} sim @param {import("http").IncomingMessage} req
 * @param {import("http").ServerResponse} res @param {URL} url
 */
async function handleInvoice(sim, req, res, url) {
  const m = /^\/invoice\/([^/]+)(?:\/(status|select|pay|cancel))?\/?$/.exec(url.pathname)
  const order = m ? sim.store.byUuid(decodeURIComponent(m[1])) : undefined
  if (!m || !order) {
    if ((req.headers.accept || "").includes("application/json")) throw new HttpError(404, "Invoice not found", "OrderNotFound")
    return sendText(res, 404, "<!doctype html><title>Invoice not found</title><h1>Invoice not found</h1>", "text/html; charset=utf-8")
  }
  const action = m[2]
  const method = req.method || "GET"
  if (method === "GET" && !action) return sendText(res, 200, renderPage(order), "text/html; charset=utf-8")
  if (method === "GET" && action === "status") return sendJson(res, 200, invoiceState(order))
  if (method !== "POST" || !action || action === "status") throw new HttpError(404, "Page not found", "PageNotFound")

  const body = parseBody(await readBody(req), req.headers["content-type"])
  const store = sim.store
  if (action === "select") {
    store.chooseCoin(order, String(body.currency || "BTC").toUpperCase())
  } else if (action === "cancel") {
    store.cancel(order)
  } else {
    const kind = String(body.kind || "full")
    const payCurrency = String(body.currency || order.pay_currency || "BTC").toUpperCase()
    if (kind === "late") {
      if (order.status === "new") store.chooseCoin(order, payCurrency)
      if (order.status === "pending") store.setStatus(order, "expired")
      store.pay(order, { kind: "full", payCurrency })
    } else {
      const delay = sim.options.confirmDelayMs
      store.pay(order, { kind, payCurrency, confirm: !(delay > 0) })
      // Like the network: the payment is seen (confirming), then confirmed (paid) a little later.
      if (delay > 0 && order.status === "confirming") {
        sim.sleep(delay).then(() => {
          if (store.get(order.id) === order && order.status === "confirming") {
            Promise.resolve(store.setStatus(order, "paid")).catch(() => {})
          }
        })
      }
    }
  }
  sim.logLine(`invoice ${order.id}: ${action} -> ${order.status}`)
  const accept = req.headers.accept || ""
  if (accept.includes("application/json") && !accept.includes("text/html")) return sendJson(res, 200, invoiceState(order))
  redirect(res, action === "cancel" && order.cancel_url ? order.cancel_url : `/invoice/${encodeURIComponent(order.uuid)}`)
}

module.exports = { handleInvoice, renderPage, invoiceState }
