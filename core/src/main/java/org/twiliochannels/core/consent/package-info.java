/**
 * Consent to be messaged, kept as Twilio scopes it: {@link
 * org.twiliochannels.core.consent.OptOutKeywords} classifies inbound keywords as Twilio does, a
 * {@link org.twiliochannels.core.consent.ConsentChange} is one entry of the audit trail (who, which
 * {@link org.twiliochannels.core.consent.ConsentScope}, opted out or in, from which {@link
 * org.twiliochannels.core.consent.ConsentSource}, when), a {@link
 * org.twiliochannels.core.consent.ConsentLedger} keeps them and answers the check a send makes
 * before any request, which refuses with {@link
 * org.twiliochannels.core.consent.RecipientOptedOutException}. Nothing here makes a request or
 * needs a database. A ledger given to {@link
 * org.twiliochannels.core.TwilioAccount.Builder#consentLedger} is checked before every send of the
 * account, and records the opt-outs Twilio reports with error 21610.
 */
package org.twiliochannels.core.consent;
