package org.twiliochannels.examples;

import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.whatsapp.WhatsAppChannel;

/** Sends one WhatsApp message. Usage: {@code SendWhatsApp [+recipient]}. */
public final class SendWhatsApp {
    private SendWhatsApp() {}

    /** Runs the example. */
    public static void main(String[] args) {
        String to = args.length > 0 ? args[0] : "+14155551234";
        try (DemoBackend backend = DemoBackend.open(to);
             Channel whatsapp = WhatsAppChannel.open(backend.config())) {
            Receipt receipt = whatsapp.send(Message.text(to, "Your order has shipped"));
            System.out.println("Sent " + receipt.sid() + " (" + receipt.status().twilioName() + ") to " + receipt.to());
        }
    }
}
