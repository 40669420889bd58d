import { cleanText, currentOrderText, orderTexts, summarizeItems, withOrderText } from "../order-text"

describe("the invoice's title and description", () => {
  it("name the shop and what is bought, with quantities above one", () => {
    const text = orderTexts({
      storeName: "Acme",
      items: [
        { title: "Medium", product_title: "T-shirt", variant_title: "Medium", quantity: 2 },
        { title: "Mug", product_title: "Mug", variant_title: "Default variant", quantity: 1 },
      ],
    })
    expect(text.title).toBe("Acme: 2 × T-shirt, Mug")
    expect(text.description).toBe("Your order at Acme: 2 × T-shirt (Medium), 1 × Mug (3 items)")
  })

  it("say only the shop when no cart is known, and never an internal id", () => {
    expect(orderTexts({ storeName: "Acme" })).toEqual({ title: "Your order at Acme", description: "Your order at Acme" })
    const text = orderTexts({})
    expect(text.title).toBe("Your order at our shop")
    expect(JSON.stringify(text)).not.toMatch(/payses_|cart_|order_/)
  })

  it("stay within CoinGate's limits (title 150, description 500) for a long cart", () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ product_title: `A rather long product name number ${i}`, quantity: 3 }))
    const text = orderTexts({ storeName: "Acme", items })
    expect(text.title.length).toBeLessThanOrEqual(150)
    expect(text.description.length).toBeLessThanOrEqual(500)
    expect(text.title.endsWith("…")).toBe(true)
  })

  it("drop control characters and odd quantities from merchant data", () => {
    expect(cleanText("T-\nshirt\u0000  big", 50)).toBe("T- shirt big")
    expect(summarizeItems([{ product_title: "Mug", quantity: "x" }, { title: "Cap", quantity: -2 }])).toBe("Mug, Cap")
  })

  it("are available inside withOrderText only (the request that set them)", async () => {
    expect(currentOrderText()).toBeUndefined()
    const seen = await withOrderText({ title: "t1", description: "d1" }, async () => {
      await new Promise((r) => setTimeout(r, 5))
      return currentOrderText()
    })
    expect(seen).toEqual({ title: "t1", description: "d1" })
    expect(currentOrderText()).toBeUndefined()
  })
})
