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
  }

  clearBook() {
    this.beneficiaries.clear()
    this.settings.clear()
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

  /** `POST /v2/beneficiaries`: a person or business with a first payout setting. @param {Record<string, any>} body */
  createBeneficiary(body) {
    /** @type {string[]} */
    const errors = []
    for (const f of ["beneficiary_type", "email", "country", "currency_id", "platform_id", "crypto_address"]) {
      if (!present(body[f])) errors.push(`${f} can't be blank`)
    }
    const type = String(body.beneficiary_type ?? "")
    if (present(body.beneficiary_type) && type !== "person" && type !== "business") errors.push("beneficiary_type must be person or business")
    if (type === "person") for (const f of ["first_name", "last_name"]) if (!present(body[f])) errors.push(`${f} can't be blank`)
    if (type === "business" && !present(body.company_name)) errors.push("company_name can't be blank")
    if (present(body.country) && !/^[A-Za-z]{2}$/.test(String(body.country))) errors.push("country must be an alpha-2 code")
    const target = this.payoutTarget(body, errors)
    if (errors.length || !target) throw new HttpError(422, "Beneficiary is not valid", "BeneficiaryIsNotValid", errors)
    const id = this.nextBeneficiaryId++
    const beneficiary = {
      id,
      beneficiary_type: type,
      email: String(body.email),
      country: String(body.country).toUpperCase(),
      first_name: body.first_name ?? null,
      last_name: body.last_name ?? null,
      company_name: body.company_name ?? null,
      created_at: isoTime(Date.now()),
    }
    this.beneficiaries.set(id, beneficiary)
    this.addSetting(id, target, String(body.crypto_address), body.crypto_address_metadata)
    return this.beneficiaryView(beneficiary)
  }

  /** @param {Record<string, any>} b */
  beneficiaryView(b) {
    return { ...structuredClone(b), beneficiary_payout_settings: [...this.settings.values()].filter((s) => s.beneficiary_id === b.id).map((s) => structuredClone(s)) }
  }

  /** `POST /v2/beneficiary_payout_settings`. @param {Record<string, any>} body */
  createSetting(body) {
    /** @type {string[]} */
    const errors = []
    for (const f of ["beneficiary_id", "currency_id", "platform_id", "crypto_address"]) if (!present(body[f])) errors.push(`${f} can't be blank`)
    if (present(body.beneficiary_id) && !this.beneficiaries.has(Number(body.beneficiary_id))) errors.push("Beneficiary not found")
    const target = this.payoutTarget(body, errors)
    if (errors.length || !target) throw new HttpError(422, "Beneficiary payout setting is not valid", "BeneficiaryPayoutSettingIsNotValid", errors)
    return structuredClone(this.addSetting(Number(body.beneficiary_id), target, String(body.crypto_address), body.crypto_address_metadata))
  }

}

module.exports = { BeneficiaryBook }
