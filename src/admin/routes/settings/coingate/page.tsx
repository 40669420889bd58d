import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CheckCircleSolid, XCircleSolid } from "@medusajs/icons"
import { Badge, Button, Container, Copy, Heading, Text } from "@medusajs/ui"
import { useMutation, useQuery } from "@tanstack/react-query"
import { useState } from "react"
import type { ReactNode } from "react"
import { CoinGateProviderSettings, coingateApi, ConnectionTest, formatDateTime, formatRelative } from "../../../lib/coingate-api"

const Row = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="text-ui-fg-subtle grid grid-cols-2 items-center gap-x-4 px-6 py-4" data-testid={testId}>
    <Text size="small" leading="compact" weight="plus">
      {label}
    </Text>
    <div className="min-w-0 break-words">{children}</div>
  </div>
)

function TestResult({ result }: { result: ConnectionTest }) {
  return (
    <div className="flex items-start gap-x-2" data-testid="coingate-test-result" data-ok={String(result.ok)}>
      {result.ok ? (
        <CheckCircleSolid className="text-ui-tag-green-icon mt-0.5 shrink-0" />
      ) : (
        <XCircleSolid className="text-ui-tag-red-icon mt-0.5 shrink-0" />
      )}
      <div className="flex flex-col gap-y-1">
        <Text size="small" leading="compact" weight="plus" className={result.ok ? "text-ui-fg-base" : "text-ui-fg-error"}>
          {result.ok ? "Connected: CoinGate accepted the API token." : "Connection failed."}
        </Text>
        {result.error && (
          <Text size="small" className="text-ui-fg-subtle">
            {result.error}
          </Text>
        )}
        <Text size="xsmall" className="text-ui-fg-muted">
          {result.api_origin}/v2/auth/test · {result.duration_ms} ms · {formatDateTime(result.tested_at)}
        </Text>
      </div>
    </div>
  )
}

function ProviderSection({ provider }: { provider: CoinGateProviderSettings }) {
  const [result, setResult] = useState<ConnectionTest | null>(null)
  const test = useMutation({
    mutationFn: () => coingateApi.testConnection(provider.id),
    onSuccess: (r) => setResult(r),
    onError: (e: Error) =>
      setResult({
        provider_id: provider.id,
        ok: false,
        sandbox: provider.sandbox,
        api_origin: provider.api_origin,
        duration_ms: 0,
        error: e.message,
        tested_at: new Date().toISOString(),
      }),
  })

  return (
    <Container className="divide-y p-0" data-testid="coingate-provider" data-provider-id={provider.id}>
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex flex-col">
          <Heading level="h2">{provider.id}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {provider.is_enabled ? "Enabled in the payment module" : "Disabled in the payment module"}
          </Text>
        </div>
        <Badge color={provider.sandbox ? "orange" : "green"} data-testid="coingate-mode">
          {provider.sandbox ? "Sandbox" : "Live"}
        </Badge>
      </div>
      <Row label="Mode" testId="coingate-mode-row">
        <Text size="small" leading="compact">
          {provider.sandbox ? "Sandbox: test payments, no real funds" : "Live: real payments"}
        </Text>
      </Row>
      <Row label="API" testId="coingate-api-origin">
        <Text size="small" leading="compact" className="font-mono">
          {provider.api_origin}
        </Text>
      </Row>
      <Row label="Callback URL" testId="coingate-callback-url">
        <div className="flex items-center gap-x-2">
          <Text size="small" leading="compact" className="truncate font-mono" title={provider.callback_url}>
            {provider.callback_url}
          </Text>
          <Copy content={provider.callback_url} />
        </div>
      </Row>
      <Row label="Last callback received" testId="coingate-last-callback">
        <Text size="small" leading="compact">
          {provider.last_callback_at
            ? `${formatRelative(provider.last_callback_at)} (${formatDateTime(provider.last_callback_at)}), order #${provider.last_callback_order_id}`
            : "None yet"}
        </Text>
      </Row>
      <div className="flex flex-col gap-y-4 px-6 py-4">
        <div className="flex items-center justify-between gap-x-4">
          <Text size="small" className="text-ui-fg-subtle">
            Checks that CoinGate accepts the configured API token (GET /v2/auth/test). The token itself is never shown.
          </Text>
          <Button size="small" variant="secondary" onClick={() => test.mutate()} isLoading={test.isPending} data-testid="coingate-test-connection">
            Test connection
          </Button>
        </div>
        {result && <TestResult result={result} />}
      </div>
    </Container>
  )
}

const CoinGateSettingsPage = () => {
  const { data, isLoading, error } = useQuery({ queryKey: ["coingate", "settings"], queryFn: () => coingateApi.settings() })

  return (
    <div className="flex flex-col gap-y-3" data-testid="coingate-settings">
      <Container className="px-6 py-4">
        <Heading level="h1">CoinGate</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Crypto payments through CoinGate. Configure the provider in medusa-config.ts; this page shows what the backend uses.
        </Text>
      </Container>
      {isLoading && (
        <Container className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            Loading…
          </Text>
        </Container>
      )}
      {error && (
        <Container className="px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            {(error as Error).message}
          </Text>
        </Container>
      )}
      {data && data.providers.length === 0 && (
        <Container className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            No CoinGate payment provider is registered. Add medusa-payment-coingate/providers/coingate to the payment module's providers.
          </Text>
        </Container>
      )}
      {data?.providers.map((p) => <ProviderSection key={p.id} provider={p} />)}
    </div>
  )
}

export const config = defineRouteConfig({
  label: "CoinGate",
})

export default CoinGateSettingsPage
