/**
 * Incoming webhooks from Twilio, framework-agnostic: {@link
 * org.twiliochannels.core.webhook.WebhookVerifier} checks the {@code X-Twilio-Signature} with the
 * Twilio SDK and turns the request into an {@link org.twiliochannels.core.webhook.InboundMessage}
 * or a {@link org.twiliochannels.core.webhook.StatusCallback}; {@link
 * org.twiliochannels.core.webhook.TwimlReply} writes the answer.
 */
package org.twiliochannels.core.webhook;
