// @ts-check
"use strict"

const crypto = require("crypto")
const { HttpError } = require("./http-util")
const { isoTime } = require("./orders")
const { refundCoin } = require("./refunds")
const { currencyRef } = require("./ledger")
const { present } = require("./params")

/**
 * CoinGate beneficiaries and their payout settings (a coin, a network and an address), API reference
 * §6.2: `POST/GET /v2/beneficiaries`, `POST/GET /v2/beneficiary_payout_settings`. Send requests
 * (simulator/send-requests.js) pay a payout setting; their store extends this one.
 */
class BeneficiaryBook {
  constructor() {
    /** @type {Map<number, Record<string, any>>} */
    this.beneficiaries = new Map()
    /** @type {Map<number, Record<string, any>>} */
    this.settings = new Map()
    this.nextBeneficiaryId = crypto.randomInt(100, 9000)
    this.nextSettingId = crypto.randomInt(100, 9000)
    /**
     * The bodies of the payout-path creations as received (after form or JSON parsing), oldest first:
     * tests read what the plugin sent. Not saved with the state.
     * @type {{ route: string, body: Record<string, any> }[]}
     */
    this.received = []
  }

  clearBook() {
    this.beneficiaries.clear()
    this.settings.clear()
    this.received.length = 0
  }

  /** @param {Record<string, any>} body @param {string[]} errors */
  payoutTarget(body, errors) {
    const target = present(body.currency_id) && present(body.platform_id) ? refundCoin(body.currency_id, body.platform_id) : null
    if (present(body.currency_id) && present(body.platform_id) && !target) errors.push("Currency or platform is not supported for payouts")
    return target
  }

  /**
   * @param {number} beneficiaryId
   * @param {{ coin: import("./currencies").Currency, platform: { id: number, title: string, id_name: string } }} target
   * @param {string} address @param {unknown} metadata
   */
  addSetting(beneficiaryId, target, address, metadata) {
    const setting = {
      id: this.nextSettingId++,
      created_at: isoTime(Date.now()),
      beneficiary_id: beneficiaryId,
      platform: { ...target.platform },
      crypto_address: address,
      crypto_address_metadata: present(metadata) ? String(metadata) : null,
      currency: currencyRef(target.coin.symbol),
    }
    this.settings.set(setting.id, setting)
    return setting
  }

  /**
   * `POST /v2/beneficiaries` in the documented shape (reference/v2.json, create-beneficiary, form-encoded):
   * `beneficiary_type` person with `person[first_name]`, `person[surname]`, or business with
   * `business[company_name]`, `business[company_code]`; `email`; `country` as an alpha-3 code (`LTU`);
   * `currency_id`, `platform_id`, `crypto_address` (the first payout setting). A refusal is 422
   * BeneficiaryIsNotValid with `errors` keyed by field, as the reference's example answers it
   * (`{"beneficiary_type": ["can't be blank"]}`); the messages themselves are the simulator's.
   * @param {Record<string, any>} body
   */
  createBeneficiary(body) {
    this.received.push({ route: "POST /v2/beneficiaries", body: structuredClone(body) })
    /** @type {Record<string, string[]>} */
    const errors = {}
    const add = (/** @type {string} */ field, /** @type {string} */ message) => void (errors[field] ??= []).push(message)
    for (const f of ["beneficiary_type", "email", "country", "currency_id", "platform_id", "crypto_address"]) {
      if (!present(body[f])) add(f, "can't be blank")
    }
    const type = String(body.beneficiary_type ?? "")
    if (present(body.beneficiary_type) && type !== "person" && type !== "business") add("beneficiary_type", "is not included in the list")
    const group = (/** @type {unknown} */ v) => (v && typeof v === "object" && !Array.isArray(v) ? /** @type {Record<string, unknown>} */ (v) : {})
    const person = group(body.person)
    const business = group(body.business)
    if (type === "person") for (const f of ["first_name", "surname"]) if (!present(person[f])) add(`person[${f}]`, "can't be blank")
    if (type === "business") for (const f of ["company_name", "company_code"]) if (!present(business[f])) add(`business[${f}]`, "can't be blank")
    if (present(body.country) && !/^[A-Z]{3}$/.test(String(body.country))) add("country", "must be an ISO 3166-1 alpha-3 code")
    if (present(body.email) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(body.email))) add("email", "is invalid")
    /** @type {string[]} */
    const targetErrors = []
    const target = this.payoutTarget(body, targetErrors)
    if (targetErrors.length) add("platform_id", "is not supported for this currency")
    if (Object.keys(errors).length || !target) throw new HttpError(422, "Beneficiary is not valid", "BeneficiaryIsNotValid", errors)
    const id = this.nextBeneficiaryId++
    const text = (/** @type {unknown} */ v) => (present(v) ? String(v) : null)
    const beneficiary = {
      id,
      beneficiary_type: type,
      ...(type === "person"
        ? { first_name: String(person.first_name), surname: String(person.surname) }
        : { company_name: String(business.company_name), company_code: String(business.company_code) }),
      email: String(body.email),
      country: String(body.country),
      country_state: text(body.country_state),
      street_name: text(body.street_name),
      building_number: text(body.building_number),
      town_name: text(body.town_name),
      post_code: text(body.post_code),
      created_at: isoTime(Date.now()),
    }
    this.beneficiaries.set(id, beneficiary)
    this.addSetting(id, target, String(body.crypto_address), body.crypto_address_metadata)
    return this.beneficiaryView(beneficiary)
  }

  /**
   * A beneficiary as the reference's example answers it: its payout settings listed without
   * `beneficiary_id` (the payout setting object of its own has it).
   * @param {Record<string, any>} b
   */
  beneficiaryView(b) {
    const settings = [...this.settings.values()].filter((s) => s.beneficiary_id === b.id).map(({ beneficiary_id, ...s }) => structuredClone(s))
    return { ...structuredClone(b), beneficiary_payout_settings: settings }
  }

  /** `POST /v2/beneficiary_payout_settings`. @param {Record<string, any>} body */
  createSetting(body) {
    this.received.push({ route: "POST /v2/beneficiary_payout_settings", body: structuredClone(body) })
    /** @type {string[]} */
    const errors = []
    for (const f of ["beneficiary_id", "currency_id", "platform_id", "crypto_address"]) if (!present(body[f])) errors.push(`${f} can't be blank`)
    if (present(body.beneficiary_id) && !this.beneficiaries.has(Number(body.beneficiary_id))) errors.push("Beneficiary not found")
    const target = this.payoutTarget(body, errors)
    if (errors.length || !target) throw new HttpError(422, "Beneficiary Payout Setting is not valid", "BeneficiaryPayoutSettingIsNotValid", errors)
    return structuredClone(this.addSetting(Number(body.beneficiary_id), target, String(body.crypto_address), body.crypto_address_metadata))
  }

}

module.exports = { BeneficiaryBook }
