import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { ManualTarget, RefundFormView } from "../components/refund-form"
import { RefundItem } from "../components/refund-item"
import { Line, Notice } from "../components/refund-line"
import { formatDateTime } from "../lib/coingate-api"
import { OrderRefundsView, refundsApi } from "../lib/coingate-refunds-api"
import { hasCoinGatePayment } from "../lib/order-payments"

const CoinGateRefundsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const queryClient = useQueryClient()
  const known = hasCoinGatePayment(order)
  const queryKey = ["coingate", "refunds", order.id]
  const [formOpen, setFormOpen] = useState(false)
  const [manual, setManual] = useState<ManualTarget | null>(null)
  const { data, isLoading, error } = useQuery({ queryKey, queryFn: () => refundsApi.list(order.id), enabled: known !== false })
  const options = useQuery({ queryKey: ["coingate", "refund-options", order.id], queryFn: () => refundsApi.options(order.id), enabled: formOpen })

  const afterChange = (v: OrderRefundsView) => {
    queryClient.setQueryData(queryKey, v)
    // The order page's totals and the payment widget change with a refund.
    queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === "orders" || q.queryKey[0] === "order" || (q.queryKey[0] === "coingate" && q.queryKey[1] === "order") })
  }
  const refresh = useMutation({
    mutationFn: () => refundsApi.refresh(order.id),
    onSuccess: (v) => {
      afterChange(v)
      toast.success("Refunds refreshed from CoinGate")
    },
    onError: (e: Error) => toast.error("Refresh failed", { description: e.message }),
  })
  const check = useMutation({
    mutationFn: () => refundsApi.check(order.id),
    onSuccess: (v) => {
      afterChange(v)
      toast.success((v.intents ?? []).length ? "CoinGate checked: some answers are still unknown" : "CoinGate checked")
    },
    onError: (e: Error) => toast.error("Check failed", { description: e.message }),
  })

  if (known === false || isLoading) return null
  if (error) {
    return (
      <Container className="px-6 py-4" data-testid="coingate-refunds-error">
        <Heading level="h2">CoinGate refunds</Heading>
        <Text size="small" className="text-ui-fg-error mt-2">
          {(error as Error).message}
        </Text>
      </Container>
    )
  }
  if (!data || data.payments.length === 0) return null
  const refundable = data.payments.some((p) => Number(p.refundable) > 0)

  return (
    <Container className="divide-y p-0" data-testid="coingate-refunds-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">CoinGate refunds</Heading>
        <div className="flex items-center gap-x-2">
          {data.refunds.some((r) => r.outcome === "open") && (
            <Button size="small" variant="transparent" onClick={() => refresh.mutate()} isLoading={refresh.isPending} data-testid="coingate-refunds-refresh">
              <ArrowPath />
            </Button>
          )}
          {refundable && !formOpen && (
            <Button
              size="small"
              variant="secondary"
              onClick={() => {
                setManual(null)
                setFormOpen(true)
              }}
              data-testid="coingate-refund-open"
            >
              Refund
            </Button>
          )}
        </div>
      </div>
      <div className="flex flex-col gap-y-1 px-6 py-3">
        <Line label="Paid through CoinGate">
          {data.payments.map((p) => p.captured).join(" + ")} {data.currency_code}
        </Line>
        <Line label="Refunded in Medusa">
          {data.payments.map((p) => p.refunded).join(" + ")} {data.currency_code}
        </Line>
        <Line label="Can still be refunded">
          {data.payments.map((p) => p.refundable).join(" + ")} {data.currency_code}
        </Line>
      </div>
      {formOpen && (
        <RefundFormView
          key={manual?.id ?? "new"}
          view={data}
          options={options.data}
          orderId={order.id}
          manual={manual}
          onCancel={() => setFormOpen(false)}
          onDone={(v) => {
            afterChange(v)
            setFormOpen(false)
          }}
        />
      )}
      {(data.intents ?? []).length > 0 && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="coingate-refund-intents">
          {data.intents.map((i) => (
            <Notice key={i.id} tone="orange" title={`${i.state === "unknown" ? "Outcome unknown" : "Being made"}: ${i.kind} of ${i.amount} ${i.currency_code}${i.requested_at ? ` (${formatDateTime(i.requested_at)})` : ""}`}>
              {i.note}
            </Notice>
          ))}
          <div className="flex justify-end">
            <Button size="small" variant="secondary" onClick={() => check.mutate()} isLoading={check.isPending} data-testid="coingate-refunds-check">
              Check CoinGate
            </Button>
          </div>
        </div>
      )}
      {data.manual_refunds.length > 0 && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="coingate-manual-refunds">
          {data.manual_refunds.map((m, i) =>
            m.settled_by ? (
              <Line key={`${m.medusa_refund_id}-${i}`} label={`Medusa's refund of ${m.amount} ${m.currency_code}`}>
                paid through CoinGate ({m.settled_by})
              </Line>
            ) : (
              <div key={`${m.medusa_refund_id}-${i}`} className="flex flex-col gap-y-2">
                <Notice tone="orange" title={`To refund by hand: ${m.amount} ${m.currency_code} (${formatDateTime(m.at)})`}>
                  {m.note}
                </Notice>
                {m.medusa_refund_id && !formOpen && (
                  <div className="flex justify-end">
                    <Button
                      size="small"
                      variant="secondary"
                      onClick={() => {
                        setManual({ id: m.medusa_refund_id!, amount: m.amount })
                        setFormOpen(true)
                      }}
                      data-testid="coingate-manual-refund-pay"
                    >
                      Pay through CoinGate
                    </Button>
                  </div>
                )}
              </div>
            )
          )}
        </div>
      )}
      {data.refunds.map((r) => (
        <RefundItem key={r.id} r={r} />
      ))}
      {data.refunds.length === 0 && data.manual_refunds.length === 0 && (data.intents ?? []).length === 0 && (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            No refunds yet. Refund from here to send the shopper crypto through CoinGate; Medusa's own Refund button only records a refund.
          </Text>
        </div>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default CoinGateRefundsWidget
