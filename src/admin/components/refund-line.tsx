import { ExclamationCircle } from "@medusajs/icons"
import { Text } from "@medusajs/ui"
import type { ReactNode } from "react"

/** A label / value line of the refunds card. */
export const Line = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="flex items-start justify-between gap-x-4">
    <Text size="xsmall" leading="compact" className="text-ui-fg-subtle shrink-0">
      {label}
    </Text>
    <div className="min-w-0 break-words text-right">
      <Text size="xsmall" leading="compact">
        {children}
      </Text>
    </div>
  </div>
)

export function Notice({ tone, title, children, testId }: { tone: "orange" | "blue"; title: string; children?: ReactNode; testId?: string }) {
  const box = tone === "orange" ? "bg-ui-tag-orange-bg border-ui-tag-orange-border" : "bg-ui-tag-blue-bg border-ui-tag-blue-border"
  const text = tone === "orange" ? "text-ui-tag-orange-text" : "text-ui-tag-blue-text"
  return (
    <div className={`${box} flex items-start gap-x-2 rounded-lg border p-3`} data-testid={testId}>
      <ExclamationCircle className={`${tone === "orange" ? "text-ui-tag-orange-icon" : "text-ui-tag-blue-icon"} mt-0.5 shrink-0`} />
      <div className="flex flex-col gap-y-1">
        <Text size="small" leading="compact" weight="plus" className={text}>
          {title}
        </Text>
        {children && (
          <Text size="small" className="text-ui-fg-subtle">
            {children}
          </Text>
        )}
      </div>
    </div>
  )
}
