/**
 * The one adapter to the Twilio SDK: {@link org.twiliochannels.core.internal.twilio.TwilioApi}
 * (create, fetch, cancel, list messages; account and number look-ups, each one attempt with the
 * deadline as a parameter), the SDK's request building, the transport that carries its requests on
 * {@code internal.http}, and TwiML. The only package of core that imports {@code com.twilio}. Not
 * API.
 */
package org.twiliochannels.core.internal.twilio;
