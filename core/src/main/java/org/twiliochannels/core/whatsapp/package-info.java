/**
 * WhatsApp's 24-hour customer-service window, known before sending: {@link
 * org.twiliochannels.core.whatsapp.SessionWindows} records when each person last wrote to each of
 * your WhatsApp senders, and a send checks it before its request (free-form inside the window, the
 * message's fallback template outside it).
 */
package org.twiliochannels.core.whatsapp;
