package org.twiliochannels.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a sent message should look like, for {@link FakeTwilio#assertSent(Match)}. Start with
 * {@link #to(String)} or {@link #any()} and add conditions; each condition appears in failure
 * messages.
 */
public final class Match {
    private final List<String> descriptions = new ArrayList<>();
    private final List<Predicate<SentMessage>> conditions = new ArrayList<>();

    private Match() {}

    /** Any message. */
    public static Match any() {
        return new Match();
    }

    /** A message to {@code to}: {@code +1…} matches SMS and WhatsApp, {@code whatsapp:+1…} only WhatsApp. */
    public static Match to(String to) {
        Objects.requireNonNull(to, "to");
        return new Match().where("to " + to, m -> m.to().equals(to) || m.to().equals("whatsapp:" + to));
    }

    /**
     * A message to {@code to}: a {@link org.twiliochannels.core.PhoneNumber} matches SMS and WhatsApp
     * messages to that number, any other address only itself.
     */
    public static Match to(org.twiliochannels.core.Address to) {
        return to(Objects.requireNonNull(to, "to").value());
    }

    /** Sent on {@code channel}: {@code "sms"}, {@code "whatsapp"} or another address prefix. */
    public Match channel(String channel) {
        return where("channel " + channel, m -> m.channel().equals(channel));
    }

    /** With exactly this body. */
    public Match body(String body) {
        return where("body \"" + body + "\"", m -> m.body().filter(body::equals).isPresent());
    }

    /** With a body containing {@code text}. */
    public Match bodyContaining(String text) {
        return where("body containing \"" + text + "\"", m -> m.body().filter(b -> b.contains(text)).isPresent());
    }

    /** A template message with this content SID. */
    public Match template(String contentSid) {
        return where("template " + contentSid, m -> m.contentSid().filter(contentSid::equals).isPresent());
    }

    /** Carrying this media URL. */
    public Match media(String url) {
        return where("media " + url, m -> m.mediaUrls().contains(url));
    }

    /** Any other condition, described for failure messages. */
    public Match where(String description, Predicate<SentMessage> condition) {
        descriptions.add(Objects.requireNonNull(description, "description"));
        conditions.add(Objects.requireNonNull(condition, "condition"));
        return this;
    }

    boolean matches(SentMessage m) {
        return conditions.stream().allMatch(c -> c.test(m));
    }

    @Override
    public String toString() {
        return descriptions.isEmpty() ? "any message" : "a message with " + String.join(", ", descriptions);
    }
}
