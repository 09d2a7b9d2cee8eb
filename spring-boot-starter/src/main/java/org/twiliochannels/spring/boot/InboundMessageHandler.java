package org.twiliochannels.spring.boot;

import java.util.Optional;
import org.twiliochannels.core.webhook.InboundMessage;

/**
 * Answers an inbound message: define one bean of this type and the {@code POST /twilio/inbound}
 * endpoint replies with its TwiML. Called after the message was verified, deduplicated and
 * published as an application event.
 *
 * <pre>{@code
 * @Bean
 * InboundMessageHandler replies() {
 *     return m -> m.keyword().isPresent() ? Optional.empty()
 *             : Optional.of(TwimlReply.message("Thanks, we got your message."));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface InboundMessageHandler {

    /**
     * The TwiML to answer with, written with {@link org.twiliochannels.core.webhook.TwimlReply}, or
     * empty to answer {@code <Response/>} (no reply). An exception answers 500, and Twilio's retry of
     * the same message is then handled again.
     */
    Optional<String> reply(InboundMessage message);
}
