import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CurrencyDollar } from "@medusajs/icons"
import { Container, Heading, Tabs, Text } from "@medusajs/ui"
import { CallbackLog } from "../../components/console/callback-log"
import { PaymentsTable } from "../../components/console/payments-table"
import { Totals } from "../../components/console/totals"

/**
 * The operations console: every CoinGate invoice of the store (the attention queue first),
 * the callback log, and totals for a period. Each part lives in components/console/.
 */
const CoinGateConsolePage = () => (
  <div className="flex flex-col gap-y-3" data-testid="coingate-console">
    <Container className="px-6 py-4">
      <Heading level="h1">CoinGate</Heading>
      <Text size="small" className="text-ui-fg-subtle">
        The store's CoinGate invoices, what needs a person, the callbacks CoinGate sent, and totals.
      </Text>
    </Container>
    <Tabs defaultValue="payments">
      <Tabs.List>
        <Tabs.Trigger value="payments" data-testid="console-tab-payments">
          Invoices
        </Tabs.Trigger>
        <Tabs.Trigger value="callbacks" data-testid="console-tab-callbacks">
          Callback log
        </Tabs.Trigger>
        <Tabs.Trigger value="totals" data-testid="console-tab-totals">
          Totals
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="payments" className="mt-3">
        <Container className="divide-y p-0">
          <PaymentsTable />
        </Container>
      </Tabs.Content>
      <Tabs.Content value="callbacks" className="mt-3">
        <Container className="divide-y p-0">
          <CallbackLog />
        </Container>
      </Tabs.Content>
      <Tabs.Content value="totals" className="mt-3">
        <Container className="p-0">
          <Totals />
        </Container>
      </Tabs.Content>
    </Tabs>
  </div>
)

export const config = defineRouteConfig({
  label: "CoinGate",
  icon: CurrencyDollar,
})

export default CoinGateConsolePage
