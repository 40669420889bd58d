import { ArrowPath } from "@medusajs/icons"
import { Button, Text } from "@medusajs/ui"
import { formatDateTime, formatRelative } from "../lib/coingate-api"

/**
 * "Last callback / Last checked" and the "Refresh from CoinGate" button, as the order widget and the
 * CoinGate page's drawer both show them (each in its own footer). The test ids stay each caller's.
 */
export function LastHeard(props: {
  callback: string | null | undefined
  synced: string | null | undefined
  onRefresh: () => void
  refreshing: boolean
  disabled?: boolean
  testIds: { heard: string; refresh: string }
}) {
  const { callback, synced } = props
  return (
    <>
      <div className="flex flex-col" data-testid={props.testIds.heard}>
        <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
          Last callback: <span title={callback ? formatDateTime(callback) : undefined}>{formatRelative(callback)}</span>
        </Text>
        <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
          Last checked: <span title={synced ? formatDateTime(synced) : undefined}>{formatRelative(synced)}</span>
        </Text>
      </div>
      <Button
        size="small"
        variant="secondary"
        onClick={props.onRefresh}
        isLoading={props.refreshing}
        disabled={props.disabled}
        data-testid={props.testIds.refresh}
      >
        <ArrowPath />
        Refresh from CoinGate
      </Button>
    </>
  )
}
