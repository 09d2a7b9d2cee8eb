package org.twiliochannels.examples;

import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.sms.SmsChannel;

/** Sends one SMS. Usage: {@code SendSms [+recipient]}. */
public final class SendSms {
    private SendSms() {}

    /** Runs the example. */
    public static void main(String[] args) {
        String to = args.length > 0 ? args[0] : "+14155551234";
        try (DemoBackend backend = DemoBackend.open(to);
             Channel sms = SmsChannel.open(backend.config())) {
            Receipt receipt = sms.send(Message.text(to, "Hello from twilio-channels"));
            System.out.println("Sent " + receipt.sid() + " (" + receipt.status().twilioName() + ")");
        }
    }
}
