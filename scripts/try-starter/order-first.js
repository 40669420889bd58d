"use strict"
/**
 * The order-first runs of scripts/try-starter/drive.js (the storefront started with COINGATE_FLOW=order_first):
 *   order-first-pay              the payment step makes the invoice and no order; "Pay with crypto" places the order
 *                                before the redirect (same invoice); back while awaiting payment: "Order placed,
 *                                awaiting payment" with its number and Back to the invoice; paid there: confirmation
 *   order-first-cancel-then-pay  cancel on the invoice: the order is canceled, the return page offers Try again;
 *                                Try again: a copy of the cart, a new invoice and a new order; paid: confirmation
 */
const s = require("./shopper")

module.exports = {
  async "order-first-pay"(page, context) {
    const before = (await s.simOrders()).length
    await s.toReview(page, "Satoshi T-shirt")
    const cartId = await s.cartCookie(context)
    s.check(!(await s.cartOf(cartId)).completed_at, "order first, review step: no order yet")
    const order = await s.payWithCrypto(page)
    s.check((await s.simOrders()).length === before + 1, "one CoinGate invoice (the payment step's, reused by Pay with crypto)")
    s.check(!!(await s.cartOf(cartId)).completed_at, "Pay with crypto placed the order before the shopper pays")
    s.check((await s.cartCookie(context)) !== cartId, "the cart cookie no longer names the placed cart")
    await page.click("#coin-BTC")
    await page.waitForSelector("#status[data-status=pending]")
    await page.goto(order.success_url)
    await page.waitForSelector("[data-testid=coingate-return][data-kind=awaiting_payment]", { timeout: 60_000 })
    s.check(/#\d+/.test(await page.getByTestId("coingate-return-order").textContent()), "back before paying: order placed, awaiting payment, with its number")
    await s.shot(page, "starter-order-first-awaiting")
    await page.getByTestId("coingate-back-to-invoice").click()
    await page.waitForURL(/\/invoice\//)
    s.check((await s.orderByUrl(page.url())).id === order.id, "Back to the invoice: the same invoice")
    await page.click("#pay-full")
    await page.waitForSelector("#status[data-status=paid]", { timeout: 60_000 })
    await page.click("#back-to-store")
    await s.toConfirmation(page)
    await s.shot(page, "starter-order-first-confirmed")
    s.check(true, "paid: the order's confirmation page")
  },

  async "order-first-cancel-then-pay"(page, context) {
    await s.toReview(page, "Sticker pack")
    const cartId = await s.cartCookie(context)
    const first = await s.payWithCrypto(page)
    await s.cancelOnInvoice(page)
    await page.waitForSelector("[data-testid=coingate-return][data-kind=failed]", { timeout: 60_000 })
    const message = await page.getByTestId("coingate-return-message").textContent()
    s.check(/order was canceled/.test(message) && !/could not be matched/.test(message), `canceled on the invoice: "${message}"`)
    await s.shot(page, "starter-order-first-canceled-try-again")
    await page.getByTestId("coingate-retry").click()
    await page.waitForURL(/\/invoice\//, { timeout: 60_000 })
    const second = await s.orderByUrl(page.url())
    s.check(second.id !== first.id, "Try again: a new invoice")
    s.check(second.order_id !== first.order_id, "for a new payment session")
    s.check(/Sticker pack/.test(second.title), `of a copy of the cart ("${second.title}")`)
    await s.payOnInvoice(page)
    await s.toConfirmation(page)
    s.check(true, "the second invoice paid: the new order's confirmation page")
    s.check(!!(await s.cartOf(cartId)).completed_at, "the first cart stays the canceled order")
  },
}
