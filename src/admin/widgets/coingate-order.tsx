import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Container, Heading, StatusBadge, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { LastHeard } from "../components/last-heard"
import { PaymentDetails } from "../components/payment-details"
import { CoinGateOrderView, CoinGatePayment, coingateApi, statusLabel } from "../lib/coingate-api"
import { hasCoinGatePayment, lastHeard, primaryPayment } from "../lib/order-payments"

const CoinGateOrderWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const queryClient = useQueryClient()
  const known = hasCoinGatePayment(order, { sessions: true })
  const queryKey = ["coingate", "order", order.id]
  const { data, isLoading, error } = useQuery({
    queryKey,
    queryFn: () => coingateApi.order(order.id),
    enabled: known !== false,
  })

  const refresh = useMutation({
    mutationFn: () => coingateApi.refresh(order.id),
    onSuccess: (view: CoinGateOrderView) => {
      queryClient.setQueryData(queryKey, view)
      // The order page itself (payment status, activity) may have changed too.
      queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === "orders" || q.queryKey[0] === "order" })
      const failed = (view.refreshed ?? []).filter((r) => !r.ok)
      if (failed.length) {
        toast.error("CoinGate could not be read", { description: failed.map((f) => f.error).join("; ") })
      } else {
        toast.success("Refreshed from CoinGate")
      }
    },
    onError: (e: Error) => toast.error("Refresh failed", { description: e.message }),
  })

  const handled = useMutation({
    mutationFn: (p: CoinGatePayment) => coingateApi.clearAttention(p.id!),
    onSuccess: () => {
      toast.success("Marked as handled")
      return queryClient.invalidateQueries({ queryKey })
    },
    onError: (e: Error) => toast.error("Could not mark as handled", { description: e.message }),
  })

  if (known === false) return null
  if (isLoading) {
    return (
      <Container className="px-6 py-4">
        <Heading level="h2">CoinGate</Heading>
        <Text size="small" className="text-ui-fg-subtle mt-2">
          Loading…
        </Text>
      </Container>
    )
  }
  if (error) {
    return (
      <Container className="px-6 py-4" data-testid="coingate-widget-error">
        <Heading level="h2">CoinGate</Heading>
        <Text size="small" className="text-ui-fg-error mt-2">
          {(error as Error).message}
        </Text>
      </Container>
    )
  }
  const payments = data?.payments ?? []
  if (payments.length === 0) return null

  const primary = primaryPayment(payments)
  const status = statusLabel(primary.status)
  const heard = lastHeard(payments)
  const sandbox = payments.some((p) => p.sandbox === true)

  return (
    <Container className="divide-y p-0" data-testid="coingate-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex items-center gap-x-2">
          <Heading level="h2">CoinGate</Heading>
          {sandbox && (
            <Badge size="2xsmall" color="orange" data-testid="coingate-sandbox">
              Sandbox
            </Badge>
          )}
        </div>
        <StatusBadge color={status.color} data-testid="coingate-header-status">
          {status.label}
        </StatusBadge>
      </div>
      {payments.map((p) => (
        <PaymentDetails
          key={p.id ?? p.coingate_order_id ?? p.payment_session_id}
          payment={p}
          showStatus={payments.length > 1}
          onHandled={(x) => handled.mutate(x)}
          handling={handled.isPending}
        />
      ))}
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <LastHeard
          callback={heard.callback}
          synced={heard.synced}
          onRefresh={() => refresh.mutate()}
          refreshing={refresh.isPending}
          testIds={{ heard: "coingate-last-heard", refresh: "coingate-refresh" }}
        />
      </div>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
  id: "medusa-payment-coingate:order",
})

export default CoinGateOrderWidget
