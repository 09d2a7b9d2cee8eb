package org.twiliochannels.core.inbound;

import java.util.Optional;
import org.twiliochannels.core.webhook.InboundMessage;

/**
 * Where an {@link InboundRouter} looks up the question a conversation is waiting on: an
 * application (or the outbox module's {@code Conversations.openQuestions()}) that asked "Reply YES to confirm"
 * answers with the handler for this reply. Consulted after a WhatsApp button payload or list item
 * id with a handler of its own and before keywords, patterns and the fallback; an empty answer
 * lets routing go on to those. {@link #none()}, the default, knows of no question.
 *
 * <p>Called on the webhook's thread for every message that is no opt-out keyword: keep it fast. A
 * look-up that throws is handled as a handler that throws (logged, empty answer to Twilio).
 */
@FunctionalInterface
public interface OpenQuestions {

    /** Knows of no open question. */
    static OpenQuestions none() {
        return message -> Optional.empty();
    }

    /**
     * The handler of the open question {@code message} answers, if any: the most recent question
     * open for its conversation (the sender, our number or sender, the channel) whose expected
     * answers it matches. Compare texts with {@link Keywords#normalize(String)}, as the router does.
     */
    Optional<InboundHandler> answering(InboundMessage message) throws Exception;
}
