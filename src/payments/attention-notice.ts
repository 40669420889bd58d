import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { attentionLabel } from "../shared/attention"

/**
 * The admin's notification when a CoinGate payment (`coingate_payment`) or one of its refunds or payouts
 * (`coingate_refund`) gets a new attention flag: one notice on the notification module's `feed` channel
 * (the bell in Medusa's admin), if the store has a provider for that channel. Sending never fails or
 * delays the payment path: it runs after the state is applied and recorded, is not awaited, and an
 * error is a warning in the log.
 */

export const ATTENTION_NOTICE_TITLE = "CoinGate payment needs attention"
export const FEED_CHANNEL = "feed"
/** The template Medusa's own admin notices use; the admin's feed shows `data.title` and `data.description`. */
export const ATTENTION_NOTICE_TEMPLATE = "admin-ui"

export type AttentionNoticeRecord = {
  id: string
  coingate_order_id: string
  order_id: string | null
  order_display_id?: number | null
  attention: string | null
  attention_note: string | null
}

/**
 * A flag is new when the record had none or had another reason. An unchanged flag (a repeated
 * callback, a reconciliation pass over a flagged record) is not.
 */
export function isNewAttention(before: string | null | undefined, after: string | null | undefined): boolean {
  return !!after && after !== before
}

/** What the feed shows: the reason in words, the CoinGate order and the Medusa order. No secret, no shopper email. */
export function attentionNotice(input: { reason: string; note: string | null; coingateOrderId: string; order: { displayId: number | null; id: string | null } }) {
  const { displayId, id } = input.order
  const order = displayId !== null ? `order #${displayId}` : id ? `order ${id}` : "no order"
  const lines = [`${attentionLabel(input.reason)}: CoinGate order ${input.coingateOrderId}, ${order}.`]
  if (input.note) lines.push(input.note)
  return { title: ATTENTION_NOTICE_TITLE, description: lines.join("\n") }
}

/**
 * Whether the store has a notification provider for the `feed` channel. Providers exist only as the
 * notification module's configured options (Medusa's default config adds `notification-local` on
 * `feed`; a store that configures the module itself may have none): reading them avoids sending into a
 * channel nobody serves, which Medusa records as a failed notification and answers with an error.
 */
export function hasFeedProvider(container: MedusaContainer): boolean {
  if (!container.hasRegistration(Modules.NOTIFICATION)) return false
  const config = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, unknown> }
  const declaration = config?.modules?.[Modules.NOTIFICATION] as { disable?: boolean; options?: { providers?: unknown[] } } | boolean | undefined
  if (!declaration || typeof declaration !== "object" || declaration.disable) return false
  const providers = Array.isArray(declaration.options?.providers) ? declaration.options!.providers : []
  return providers.some((p: any) => Array.isArray(p?.options?.channels) && p.options.channels.includes(FEED_CHANNEL))
}

/** Sends the notice of a newly flagged record in the background (never awaited by the payment path). */
export function noticeNewAttention(container: MedusaContainer, before: string | null | undefined, record: AttentionNoticeRecord): void {
  if (!isNewAttention(before, record.attention)) return
  void sendAttentionNotice(container, record)
}

/** Sends one notice for the record's flag; resolves `false` when nothing was sent. Never throws. */
export async function sendAttentionNotice(container: MedusaContainer, record: AttentionNoticeRecord): Promise<boolean> {
  try {
    if (!record.attention || !hasFeedProvider(container)) return false
    const notice = attentionNotice({
      reason: record.attention,
      note: record.attention_note,
      coingateOrderId: record.coingate_order_id,
      order: { displayId: await displayIdOf(container, record), id: record.order_id },
    })
    await container.resolve(Modules.NOTIFICATION).createNotifications({
      // "" reaches every admin: the feed lists notices to the user's id, email or "".
      to: "",
      channel: FEED_CHANNEL,
      template: ATTENTION_NOTICE_TEMPLATE,
      data: { ...notice, reason: record.attention, coingate_order_id: record.coingate_order_id, record_id: record.id },
    })
    return true
  } catch (e: any) {
    try {
      container
        .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
        .warn(`CoinGate order ${record.coingate_order_id}: the attention notification could not be sent: ${e?.message ?? e}`)
    } catch {
      // No logger: nothing more to do; the flag itself is on the record.
    }
    return false
  }
}

/** The record's display id (`order_display_id`), else the order's; null when unknown (the notice names the order id). */
async function displayIdOf(container: MedusaContainer, record: AttentionNoticeRecord): Promise<number | null> {
  if (typeof record.order_display_id === "number") return record.order_display_id
  if (!record.order_id) return null
  try {
    const order = await container.resolve(Modules.ORDER).retrieveOrder(record.order_id, { select: ["id", "display_id"] })
    return typeof order?.display_id === "number" ? order.display_id : null
  } catch {
    return null
  }
}
