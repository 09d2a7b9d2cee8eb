/**
 * Twilio's Content API ({@code content.twilio.com/v1/Content}) for one account, on the account's own
 * transport, credentials and deadlines: {@link org.twiliochannels.core.content.ContentApi} (from
 * {@link org.twiliochannels.core.TwilioAccount#content()}) lists, fetches and creates Content
 * resources, requests their WhatsApp approval and reads its status. A custom API base URL
 * ({@code TWILIO_API_BASE_URL}) stands in for the Content API's host too, so one loopback fake serves
 * both by path. The templates themselves (definitions, their checks, creating them idempotently,
 * tracking approval) are in the whatsapp module's {@code whatsapp.content} package.
 */
package org.twiliochannels.core.content;
