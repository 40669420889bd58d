import { StatusBadge, Text } from "@medusajs/ui"
import type { BadgeColor } from "../../lib/coingate-api"

/** What the log shows of a callback: the outcome's badge and the stored (capped) body. */

const OUTCOMES: Record<string, { label: string; color: BadgeColor }> = {
  accepted: { label: "Accepted", color: "green" },
  forged: { label: "Forged", color: "red" },
  unknown: { label: "Unknown order", color: "orange" },
  stale: { label: "Stale", color: "grey" },
  malformed: { label: "Malformed", color: "red" },
  transient: { label: "Retry asked", color: "orange" },
}

export const OUTCOME_VALUES = Object.keys(OUTCOMES)
export const outcomeLabel = (outcome: string) => OUTCOMES[outcome]?.label ?? outcome

/** The outcome; on a flood's aggregate row, with how many callbacks it counts ("Forged × 5,000"). */
export const OutcomeBadge = ({ outcome, count }: { outcome: string; count?: number }) => {
  const o = OUTCOMES[outcome] ?? { label: outcome, color: "grey" as BadgeColor }
  return (
    <StatusBadge color={o.color} data-testid="callback-outcome" title={count && count > 1 ? "Counted, not stored one by one" : undefined}>
      {o.label}
      {count && count > 1 ? ` × ${count.toLocaleString("en-US")}` : ""}
    </StatusBadge>
  )
}

export const KIND_LABELS: Record<string, string> = { order: "Order", refund: "Refund", send_request: "Payout" }

/** The body as stored: JSON (secret fields already removed by the server) or the truncated text. */
export function bodyText(body: unknown, pretty = false): string {
  if (body === null || body === undefined) return ""
  if (typeof body === "string") return body
  const cut = body as { truncated?: unknown; bytes?: unknown; text?: unknown }
  if (cut.truncated === true && typeof cut.text === "string") {
    // The server kept the first bytes of a body over its cap.
    return `${cut.text}… (truncated; ${String(cut.bytes)} bytes)`
  }
  try {
    return pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body)
  } catch {
    return String(body)
  }
}

export const BodyPreview = ({ body }: { body: unknown }) => {
  const text = bodyText(body)
  return (
    <Text size="xsmall" className="text-ui-fg-subtle max-w-[240px] truncate font-mono" title={text}>
      {text || "-"}
    </Text>
  )
}
