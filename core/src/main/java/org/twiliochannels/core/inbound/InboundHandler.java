package org.twiliochannels.core.inbound;

/**
 * Handles the inbound messages an {@link InboundRouter} chose it for. Called on the thread that
 * answers the webhook, so keep it short (Twilio waits at most 15 seconds for the answer): answer
 * with a reply now, or answer {@link InboundReply#none()} and send later through a channel.
 *
 * <p>An exception thrown here is logged (the sender masked, never the body nor the exception's
 * message, which may quote the body) and Twilio is answered with an empty {@code <Response/>}, so
 * that it does not deliver the message again. Returning null counts as such a failure.
 */
@FunctionalInterface
public interface InboundHandler {
    /**
     * Handles one message.
     *
     * @param event the message and why it was routed here
     * @return the answer to Twilio, {@link InboundReply#none()} for none
     * @throws Exception any failure: logged, and Twilio is answered with an empty response
     */
    InboundReply handle(InboundEvent event) throws Exception;
}
