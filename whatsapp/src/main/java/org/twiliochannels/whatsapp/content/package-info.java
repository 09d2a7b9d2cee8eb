/**
 * WhatsApp templates and interactive messages as code, on Twilio's Content API
 * ({@code https://content.twilio.com/v1/Content}): a {@link org.twiliochannels.whatsapp.content.ContentTemplate}
 * is defined in code or read from a file the application ships
 * ({@link org.twiliochannels.whatsapp.content.ContentTemplates#read(java.nio.file.Path)}), every limit
 * WhatsApp and Twilio set is checked when it is built, and it gives the Content API's create request
 * body, the fields where a template fetched from Twilio differs from it, and the checked variables of a
 * send ({@link org.twiliochannels.whatsapp.content.TemplateVariables}).
 *
 * <p>{@link org.twiliochannels.whatsapp.content.WhatsAppTemplates} takes them to Twilio through the
 * account's Content API ({@link org.twiliochannels.core.TwilioAccount#content()}): deployed
 * idempotently by friendly name and language, submitted for WhatsApp approval, their status tracked
 * with events, and sends that need an approved template refused before the request. The definitions,
 * their checks and {@code TemplateVariables} make no network call.
 */
package org.twiliochannels.whatsapp.content;
