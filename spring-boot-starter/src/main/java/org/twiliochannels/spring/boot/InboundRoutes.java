package org.twiliochannels.spring.boot;

import org.twiliochannels.core.inbound.InboundRouter;

/**
 * Rules of the inbound router on {@code POST /twilio/inbound}: define beans of this type and the
 * starter builds one {@link InboundRouter} from all of them (in their order), its open questions
 * from the {@link org.twiliochannels.outbox.Conversations} bean when the outbox is present, and
 * answers every inbound message with the router's TwiML. A rule given twice (two handlers for one
 * keyword) fails the start with the router's message naming both.
 *
 * <pre>{@code
 * @Bean
 * InboundRoutes help() {
 *     return routes -> routes.keyword("HELP", e -> InboundReply.message("Call 555-0100."))
 *             .fallback(e -> InboundReply.message("Reply YES to confirm, C to cancel."));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface InboundRoutes {

    /** Adds rules to the router being built. */
    void configure(InboundRouter.Builder routes);
}
