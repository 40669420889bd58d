import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { CoinGatePaymentRecord, findRecord, recordById, RecordFields, recordFields, recordsService, SaveRecordInput } from "./records"

/**
 * Every write of a CoinGate order's state into its record goes through here, ordered twice over:
 * - the snapshot kept is the newer of the one given and the one held (`recordFields`, src/payments/rules/snapshot-order.ts);
 * - the write is a compare-and-set on the record's `version`: it applies only if nobody wrote the record since it
 *   was read, else the record is read again and the decision made again. The apply workflow's lock already
 *   serializes one CoinGate order within a process (and across processes with a shared locking module); this
 *   holds without it (several instances on the in-memory locking module, a record written outside the workflow).
 */

const TABLE = "coingate_payment"
/** Rounds of read, decide, compare-and-set before giving up (each lost round means another write landed). */
const MAX_ROUNDS = 8

const db = (container: MedusaContainer) => container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex

/** Creates or updates the record of a CoinGate order after its state was applied. */
export async function saveRecord(container: MedusaContainer, input: SaveRecordInput): Promise<CoinGatePaymentRecord> {
  let held = input.existing
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fields = await recordFields(container, held, {
      ...input,
      // Lost a round: another run wrote meanwhile. Medusa never takes a capture back, so neither does the record.
      medusaState: round > 0 && held?.medusa_state === "captured" ? "captured" : input.medusaState,
    })
    const saved = held ? await compareAndSet(container, held, fields) : await createIfAbsent(container, fields)
    if (saved) return saved
    held = await findRecord(container, { coingateOrderId: input.order.id })
  }
  throw new Error(`CoinGate order ${input.order.id}: its record kept changing under this write; nothing was saved (the next read applies it).`)
}

/** Undoes a run's flag when the run failed after saving (so the retry announces it), unless the record moved on since. */
export async function restoreAttention(container: MedusaContainer, saved: CoinGatePaymentRecord, previous: Pick<CoinGatePaymentRecord, "attention" | "attention_note"> | null) {
  await db(container)(TABLE)
    .where({ id: saved.id, version: saved.version ?? 0 })
    .whereNull("deleted_at")
    .update({ attention: previous?.attention ?? null, attention_note: previous?.attention_note ?? null, version: (saved.version ?? 0) + 1, updated_at: new Date() })
}

async function compareAndSet(container: MedusaContainer, held: CoinGatePaymentRecord, fields: RecordFields): Promise<CoinGatePaymentRecord | null> {
  const version = held.version ?? 0
  const changed = await db(container)(TABLE)
    .where({ id: held.id, version })
    .whereNull("deleted_at")
    .update({ ...columns(fields), version: version + 1, updated_at: new Date() })
  return changed === 1 ? recordById(container, held.id) : null
}

/** A new record; null when another run created the order's record first (unique on its CoinGate id). */
async function createIfAbsent(container: MedusaContainer, fields: RecordFields): Promise<CoinGatePaymentRecord | null> {
  try {
    return (await recordsService(container).createCoinGatePayments(fields as any)) as unknown as CoinGatePaymentRecord
  } catch (e) {
    if (await findRecord(container, { coingateOrderId: fields.coingate_order_id })) return null
    throw e
  }
}

/** The row's columns: JSON as JSON text (an array would otherwise go as a PostgreSQL array), exact amounts in their raw twins. */
function columns(fields: RecordFields) {
  const raw = (v: string | null) => (v === null ? null : JSON.stringify({ value: v, precision: 20 }))
  return {
    ...fields,
    history: JSON.stringify(fields.history),
    snapshot: JSON.stringify(fields.snapshot),
    price_amount: fields.price_amount,
    raw_price_amount: raw(fields.price_amount),
    pay_amount: fields.pay_amount,
    raw_pay_amount: raw(fields.pay_amount),
  }
}
