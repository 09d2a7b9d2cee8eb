/**
 * Inbound messages routed to handlers by what arrived: {@link
 * org.twiliochannels.core.inbound.InboundRouter} records Twilio's opt-out and opt-in keywords in
 * the {@link org.twiliochannels.core.consent.ConsentLedger} first, then chooses a handler by a
 * WhatsApp button payload or list item id, the conversation's open question ({@link
 * org.twiliochannels.core.inbound.OpenQuestions}), a keyword ({@link
 * org.twiliochannels.core.inbound.Keywords}, case, accents and surrounding punctuation ignored), a
 * pattern, or the fallback. An {@link org.twiliochannels.core.inbound.InboundHandler} gets an
 * {@link org.twiliochannels.core.inbound.InboundEvent} (with the typed answers of interactive
 * WhatsApp messages) and answers with an {@link org.twiliochannels.core.inbound.InboundReply}.
 * Messages come verified by {@link org.twiliochannels.core.webhook.WebhookVerifier}; nothing here
 * makes a request.
 */
package org.twiliochannels.core.inbound;
