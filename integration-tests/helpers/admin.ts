import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import type { AxiosInstance } from "axios"

/** An admin user with an emailpass identity, logged in through Medusa's own auth route: the headers of its requests. */
export async function adminHeaders(container: MedusaContainer, api: AxiosInstance, email = "refunds-admin@example.com") {
  const password = "supersecret-admin"
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, success, error } = await auth.register("emailpass", { body: { email, password } } as any)
  if (!success || !authIdentity) throw new Error(`could not register the admin identity: ${error}`)
  await createUserAccountWorkflow(container).run({ input: { authIdentityId: authIdentity.id, userData: { email } } })
  const { data } = await api.post("/auth/user/emailpass", { email, password })
  return { authorization: `Bearer ${data.token}` }
}
