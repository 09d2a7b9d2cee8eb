/**
 * Incoming webhooks from Twilio, framework-agnostic: {@link
 * org.twiliochannels.core.webhook.WebhookVerifier} checks the {@code X-Twilio-Signature} (HMAC-SHA1
 * with the auth token, port-exact except for the scheme's default port) and the shape of the fields
 * Twilio always sends, and turns the request into an {@link
 * org.twiliochannels.core.webhook.InboundMessage} or a {@link
 * org.twiliochannels.core.webhook.StatusCallback}; every bad request ends in {@link
 * org.twiliochannels.core.webhook.WebhookRejectedException}. {@link
 * org.twiliochannels.core.webhook.TwimlReply} writes the answer.
 */
package org.twiliochannels.core.webhook;
