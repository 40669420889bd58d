"use strict"
/**
 * Seeds `coingate_payment` with many records for the console benchmark (bench/console.js): one
 * `INSERT ... SELECT generate_series` in the database, deterministic (setseed), spread like a store's:
 *
 * - created_at uniformly over the last 90 days;
 * - statuses: paid 62 %, expired 20 %, canceled 8 %, invalid 3 %, refunded 4 %, partially refunded 3 %;
 *   records of the last 2 hours are half still open (new, pending, confirming) with a check due in an hour,
 *   so the store's reconciliation job finds nothing to read during the measurements;
 * - price currency EUR 60 %, USD 30 %, GBP 10 %, amounts 5.00 to 500.00; the coin (BTC, ETH, USDT, LTC) for
 *   every paid or paying record and for a third of the expired or canceled ones;
 * - about 2 % flagged for attention (six reasons);
 * - a Medusa order (display id = the record's number) for every record that got as far as paying;
 * - 25,000 shopper emails, four records each; a snapshot like CoinGate's answer (about 1 KB, no token).
 *
 * The console's columns (price_amount, pay_currency, email, order_display_id, ...) are written when the
 * table has them: the seed runs against whatever the migrations made.
 */

const RECORDS_PREFIX = "cgpay_bench"

/** Each column the seed can write, as an SQL expression over the row's values `s` (see seedSql). */
const COLUMNS = {
  id: `'${RECORDS_PREFIX}' || lpad(s.i::text, 8, '0')`,
  coingate_order_id: `(1000000 + s.i)::text`,
  payment_session_id: `'payses_bench' || lpad(s.i::text, 8, '0')`,
  provider_id: `'pp_coingate_coingate'`,
  cart_id: `'cart_bench' || lpad(s.i::text, 8, '0')`,
  order_id: `CASE WHEN s.has_order THEN 'order_bench' || lpad(s.i::text, 8, '0') END`,
  status: `s.status`,
  history: `jsonb_build_array(jsonb_build_object('status', s.status, 'at', s.created_at, 'source', 'callback'))`,
  snapshot: `jsonb_build_object(
    'id', 1000000 + s.i, 'order_id', 'payses_bench' || lpad(s.i::text, 8, '0'), 'status', s.status,
    'title', 'Your order at Medusa Demo Store', 'description', 'Your order at Medusa Demo Store: 1 × Satoshi T-shirt (M)',
    'price_amount', s.price_amount::text, 'price_currency', s.price_currency,
    'receive_amount', CASE WHEN s.has_order THEN round(s.price_amount * 0.99, 2)::text ELSE '' END, 'receive_currency', 'EUR',
    'pay_amount', s.pay_amount::text, 'pay_currency', s.pay_currency,
    'underpaid_amount', '0', 'overpaid_amount', '0', 'is_refundable', s.has_order,
    'created_at', s.created_at, 'expire_at', s.created_at + interval '20 minutes',
    'paid_at', CASE WHEN s.has_order THEN s.created_at + interval '6 minutes' END,
    'payment_url', 'https://pay-sandbox.coingate.com/invoice/' || md5(s.i::text),
    'blockchain_transactions', CASE WHEN s.has_order THEN jsonb_build_array(jsonb_build_object(
      'txid', md5('tx' || s.i) || md5('tx2' || s.i), 'amount', s.pay_amount::text, 'currency', s.pay_currency,
      'status', 'confirmed', 'confirmations', 6)) ELSE '[]'::jsonb END)`,
  medusa_state: `CASE s.status WHEN 'paid' THEN 'captured' WHEN 'refunded' THEN 'captured' WHEN 'partially_refunded' THEN 'captured'
    WHEN 'expired' THEN 'canceled' WHEN 'canceled' THEN 'canceled' WHEN 'invalid' THEN 'failed'
    WHEN 'new' THEN 'pending' ELSE 'awaiting_payment' END`,
  attention: `s.attention`,
  attention_note: `CASE WHEN s.attention IS NOT NULL THEN 'Benchmark record flagged ' || s.attention || '.' END`,
  last_synced_at: `s.created_at + interval '5 minutes'`,
  last_callback_at: `CASE WHEN s.status <> 'new' THEN s.created_at + interval '5 minutes' END`,
  next_check_at: `CASE WHEN s.status IN ('new', 'pending', 'confirming') THEN now() + interval '1 hour' END`,
  created_at: `s.created_at`,
  updated_at: `s.created_at + interval '5 minutes'`,
  // The console's columns (engineer A's migration; docs/admin.md).
  price_amount: `s.price_amount`,
  raw_price_amount: `jsonb_build_object('value', s.price_amount::text, 'precision', 20)`,
  price_currency: `s.price_currency`,
  pay_amount: `s.pay_amount`,
  raw_pay_amount: `CASE WHEN s.pay_amount IS NOT NULL THEN jsonb_build_object('value', s.pay_amount::text, 'precision', 20) END`,
  pay_currency: `s.pay_currency`,
  email: `'shopper' || (s.i % 25000) || '@example.com'`,
  order_display_id: `CASE WHEN s.has_order THEN s.i END`,
}

const REQUIRED = ["id", "coingate_order_id", "payment_session_id", "provider_id", "status", "history", "medusa_state", "created_at"]

/** The row values: one random draw per property, then the properties derived from them. */
const ROWS = `
  SELECT r.*, (r.status IN ('paid', 'refunded', 'partially_refunded', 'invalid', 'pending', 'confirming')) AS has_order,
    CASE WHEN r.status IN ('paid', 'refunded', 'partially_refunded', 'invalid', 'pending', 'confirming') OR r.coin_draw < 0.33
      THEN (ARRAY['BTC', 'BTC', 'ETH', 'USDT', 'USDT', 'LTC'])[1 + floor(r.pay_draw * 6)::int] END AS pay_currency
  FROM (
    SELECT d.*,
      CASE
        WHEN d.created_at > now() - interval '2 hours' AND d.status_draw < 0.5 THEN (ARRAY['new', 'pending', 'confirming'])[1 + floor(d.status_draw * 6)::int]
        WHEN d.status_draw < 0.62 THEN 'paid' WHEN d.status_draw < 0.82 THEN 'expired' WHEN d.status_draw < 0.90 THEN 'canceled'
        WHEN d.status_draw < 0.93 THEN 'invalid' WHEN d.status_draw < 0.97 THEN 'refunded' ELSE 'partially_refunded'
      END AS status,
      CASE WHEN d.currency_draw < 0.6 THEN 'EUR' WHEN d.currency_draw < 0.9 THEN 'USD' ELSE 'GBP' END AS price_currency,
      round((5 + d.amount_draw * 495)::numeric, 2) AS price_amount,
      CASE WHEN d.flag_draw < 0.02 THEN (ARRAY['paid_after_cancellation', 'amount_mismatch', 'paid_not_captured', 'refund_outside_medusa', 'invalid', 'paid_then_expired'])[1 + floor(d.flag_draw * 300)::int] END AS attention
    FROM (
      SELECT i, now() - random() * interval '90 days' AS created_at, random() AS status_draw, random() AS currency_draw,
        random() AS amount_draw, random() AS coin_draw, random() AS pay_draw, random() AS flag_draw
      FROM generate_series(1, $1::int) AS i
    ) d
  ) r`

const RATES = `CASE s.pay_currency WHEN 'BTC' THEN 90000 WHEN 'ETH' THEN 3000 WHEN 'LTC' THEN 80 ELSE 1 END`

/** The INSERT for the table's columns (a set of names). */
function seedSql(columns) {
  for (const c of REQUIRED) if (!columns.has(c)) throw new Error(`coingate_payment has no column ${c}: are the migrations applied?`)
  const names = Object.keys(COLUMNS).filter((c) => columns.has(c))
  return {
    names,
    sql:
      `INSERT INTO coingate_payment (${names.map((n) => `"${n}"`).join(", ")})\n` +
      `SELECT ${names.map((n) => COLUMNS[n]).join(",\n  ")}\n` +
      `FROM (SELECT x.*, CASE WHEN x.pay_currency IS NOT NULL THEN round(x.price_amount / ${RATES.replace(/s\./g, "x.")}, 8) END AS pay_amount FROM (${ROWS}) x) s`,
  }
}

async function tableColumns(pg, table = "coingate_payment") {
  const { rows } = await pg.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [table])
  return new Set(rows.map((r) => r.column_name))
}

/**
 * Replaces the benchmark's records with `n` new ones (other records are left alone), then VACUUM ANALYZE.
 * Resolves { ms, n, columns (written), missing (console columns the table lacks), flagged, sampleEmail }.
 */
async function seedConsoleRecords(pg, { n }) {
  const columns = await tableColumns(pg)
  const { names, sql } = seedSql(columns)
  const t0 = Date.now()
  await pg.query(`DELETE FROM coingate_payment WHERE id LIKE '${RECORDS_PREFIX}%'`)
  await pg.query(`SELECT setseed(0.2026)`)
  await pg.query(sql, [n])
  // A table that grew to this size over weeks has been vacuumed by autovacuum: its visibility map lets the
  // counts use index-only scans. Right after one big INSERT it has not, and every count reads the heap.
  await pg.query(`VACUUM ANALYZE coingate_payment`)
  const ms = Date.now() - t0
  const { rows } = await pg.query(
    `SELECT count(*)::int AS n, count(attention)::int AS flagged FROM coingate_payment WHERE id LIKE '${RECORDS_PREFIX}%'`
  )
  const missing = Object.keys(COLUMNS).filter((c) => !columns.has(c))
  return { ms, n: rows[0].n, flagged: rows[0].flagged, columns: names, missing, sampleEmail: "shopper4242@example.com" }
}

module.exports = { seedConsoleRecords, seedSql, tableColumns, RECORDS_PREFIX }
