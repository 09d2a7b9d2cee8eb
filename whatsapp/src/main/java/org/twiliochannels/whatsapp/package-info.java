/** The WhatsApp channel. Entry point: {@link org.twiliochannels.whatsapp.WhatsAppChannel}. */
package org.twiliochannels.whatsapp;
