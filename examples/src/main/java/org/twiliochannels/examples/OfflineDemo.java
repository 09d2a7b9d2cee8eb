package org.twiliochannels.examples;

import java.io.PrintWriter;
import java.util.List;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.SegmentCount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.SentMessage;

/** The demo without an account: both channels against an embedded fake Twilio on loopback. */
final class OfflineDemo {
    static final String DEFAULT_TO = "+14155551234";

    private final PrintWriter out;
    private final PrintWriter err;

    OfflineDemo(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    int run(String to) {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            out.println("Offline demo: no TWILIO_* credentials are set, so this talks to an embedded fake Twilio at "
                    + twilio.baseUrl() + "; nothing leaves this machine.");
            out.println("Channels on the class path: " + String.join(", ", Channels.available()));
            org.twiliochannels.core.PhoneNumber.parse(to).ifPresent(twilio::joinSandbox);
            TwilioConfig config = twilio.config().build();
            int worst = Cli.OK;

            try (Channel sms = Channels.open("sms", config)) {
                String body = "Your table for 2 is ready. Reply STOP to opt out.";
                out.println();
                out.print("[sms] " + SegmentCount.of(body).segments() + "-segment text to " + to + ": ");
                out.flush();
                worst = Math.max(worst, Cli.sendAndReport(sms, Message.text(to, body), out, err));

                out.println();
                out.println("[sms] a number as people paste it is caught before any request:");
                try {
                    sms.send(Message.text("+1 (415) 555-1234", "hi"));
                } catch (InvalidMessageException e) {
                    out.println("      " + e.getMessage());
                }

                out.println();
                out.println("[sms] Twilio's answer to an invalid recipient (magic test number +15005550001):");
                try {
                    sms.send(Message.text("+15005550001", "hi"));
                } catch (TwilioRejectedException e) {
                    out.println("      " + e.error().describe());
                }
            }

            try (Channel whatsapp = Channels.open("whatsapp", config)) {
                out.println();
                out.print("[whatsapp] text from the sandbox sender to " + to + ": ");
                out.flush();
                worst = Math.max(worst, Cli.sendAndReport(whatsapp, Message.text(to, "Your order #1042 has shipped."), out, err));
            }

            List<SentMessage> sent = twilio.sent();
            out.println();
            out.println("The fake Twilio accepted " + sent.size() + " messages:");
            for (SentMessage m : sent) {
                out.println("  " + m.sid() + "  " + m.channel() + "  " + m.from() + " -> " + m.to() + "  \""
                        + m.body().orElse("") + "\"");
            }
            out.println();
            out.println("To send for real: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_PHONE_NUMBER and"
                    + " TWILIO_WHATSAPP_FROM (or put them in .env), check them with 'doctor --live', then run"
                    + " 'demo --to +<your number>'.");
            out.flush();
            return worst;
        }
    }
}
