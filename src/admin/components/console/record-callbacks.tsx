import { Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { formatDateTime } from "../../lib/coingate-api"
import { consoleApi } from "../../lib/console-api"
import { KIND_LABELS, OutcomeBadge } from "./callback-parts"

const SHOWN = 10

/** The callbacks the store received about one CoinGate order, newest first (the log's last ten). */
export function RecordCallbacks({ coingateOrderId }: { coingateOrderId: string | null }) {
  const { data, error } = useQuery({
    queryKey: ["coingate", "console", "callbacks", "of", coingateOrderId],
    queryFn: () => consoleApi.callbacks({ coingate_order_id: coingateOrderId! }, { limit: SHOWN, offset: 0 }),
    enabled: !!coingateOrderId,
  })
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="console-record-callbacks">
      <Text size="small" leading="compact" weight="plus">
        Callbacks{data && data.count > SHOWN ? ` (last ${SHOWN} of ${data.count})` : ""}
      </Text>
      {error && (
        <Text size="small" className="text-ui-fg-error">
          {(error as Error).message}
        </Text>
      )}
      {data && data.callbacks.length === 0 && (
        <Text size="small" className="text-ui-fg-subtle">
          None received for this order.
        </Text>
      )}
      <ol className="flex flex-col gap-y-2">
        {data?.callbacks.map((c) => (
          <li key={c.id} className="flex items-center justify-between gap-x-2" data-testid="console-record-callback">
            <div className="flex min-w-0 flex-col">
              <Text size="xsmall" leading="compact">
                {formatDateTime(c.received_at)} · {KIND_LABELS[c.kind] ?? c.kind}
              </Text>
              <Text size="xsmall" leading="compact" className="text-ui-fg-subtle truncate" title={c.answer ?? undefined}>
                {c.answer_status} {c.answer}
              </Text>
            </div>
            <OutcomeBadge outcome={c.outcome} />
          </li>
        ))}
      </ol>
    </div>
  )
}
