import { Copy, Drawer, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { ReactNode } from "react"
import { Link } from "react-router-dom"
import { CoinGatePayment, coingateApi } from "../../lib/coingate-api"
import { consoleApi } from "../../lib/console-api"
import { LastHeard } from "../last-heard"
import { PaymentDetails } from "../payment-details"
import { RecordCallbacks } from "./record-callbacks"

const Line = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="flex items-center justify-between gap-x-4 px-6 py-1">
    <Text size="small" leading="compact" weight="plus" className="text-ui-fg-subtle">
      {label}
    </Text>
    <div className="min-w-0 truncate text-right">{children}</div>
  </div>
)

/**
 * One record: the order widget's details and history (the same component), where it came
 * from, its callbacks; refresh from CoinGate and "Mark as handled" through the same routes
 * the widget's buttons use. Both refresh the list, so the flag and the count follow.
 */
export function PaymentDrawer({ paymentId, onClose }: { paymentId: string | null; onClose: () => void }) {
  const queryClient = useQueryClient()
  const queryKey = ["coingate", "console", "payment", paymentId]
  const { data, isLoading, error } = useQuery({
    queryKey,
    queryFn: () => consoleApi.payment(paymentId!),
    enabled: !!paymentId,
  })
  const payment = data?.payment
  // The list, the count, and the order page's CoinGate section and payment status if it is cached.
  const refreshList = () =>
    queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === "coingate" || q.queryKey[0] === "orders" || q.queryKey[0] === "order" })

  const refresh = useMutation({
    mutationFn: () => consoleApi.refresh(paymentId!),
    onSuccess: (answer) => {
      queryClient.setQueryData(queryKey, { payment: answer.payment })
      if (answer.refreshed.ok) toast.success("Refreshed from CoinGate")
      else toast.error("CoinGate could not be read", { description: answer.refreshed.error })
      return refreshList()
    },
    onError: (e: Error) => toast.error("Refresh failed", { description: e.message }),
  })
  const handled = useMutation({
    mutationFn: (p: CoinGatePayment) => coingateApi.clearAttention(p.id!),
    onSuccess: () => {
      toast.success("Marked as handled")
      return refreshList()
    },
    onError: (e: Error) => toast.error("Could not mark as handled", { description: e.message }),
  })

  return (
    <Drawer open={!!paymentId} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="console-drawer">
        <Drawer.Header>
          <Drawer.Title>CoinGate order #{payment?.coingate_order_id ?? "…"}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col overflow-y-auto p-0">
          {isLoading && (
            <Text size="small" className="text-ui-fg-subtle px-6 py-4">
              Loading…
            </Text>
          )}
          {error && (
            <Text size="small" className="text-ui-fg-error px-6 py-4" data-testid="console-drawer-error">
              {(error as Error).message}
            </Text>
          )}
          {payment && (
            <div className="flex flex-col divide-y">
              <div className="flex flex-col py-3" data-testid="console-drawer-origin">
                <Line label="Medusa order">
                  {payment.order_id ? (
                    <Link to={`/orders/${payment.order_id}`} className="text-ui-fg-interactive txt-compact-small-plus">
                      {payment.order_display_id ? `#${payment.order_display_id}` : payment.order_id}
                    </Link>
                  ) : (
                    <Text size="small" className="text-ui-fg-muted">
                      no order
                    </Text>
                  )}
                </Line>
                <Line label="Shopper">
                  <Text size="small">{payment.email ?? "-"}</Text>
                </Line>
                <Line label="Cart">
                  <Text size="small" className="font-mono">
                    {payment.cart_id ?? "-"}
                  </Text>
                </Line>
                {/* An orphan has no cart or order: its payment session is what ties it to the checkout. */}
                <Line label="Payment session">
                  <div className="flex items-center justify-end gap-x-1">
                    <Text size="small" className="truncate font-mono" title={payment.payment_session_id}>
                      {payment.payment_session_id}
                    </Text>
                    <Copy content={payment.payment_session_id} className="text-ui-fg-muted" />
                  </div>
                </Line>
              </div>
              <PaymentDetails payment={payment} showStatus onHandled={(p) => handled.mutate(p)} handling={handled.isPending} />
              <RecordCallbacks coingateOrderId={payment.coingate_order_id} />
            </div>
          )}
        </Drawer.Body>
        <Drawer.Footer className="flex items-center justify-between">
          <LastHeard
            callback={payment?.last_callback_at}
            synced={payment?.last_synced_at}
            onRefresh={() => refresh.mutate()}
            refreshing={refresh.isPending}
            disabled={!payment}
            testIds={{ heard: "console-drawer-heard", refresh: "console-refresh" }}
          />
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
