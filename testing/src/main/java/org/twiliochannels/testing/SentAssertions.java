package org.twiliochannels.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@code assertSent} / {@code assertNothingElseSent}: which sent messages a test has claimed. */
final class SentAssertions {
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    SentMessage assertSent(List<SentMessage> sent, Match match) {
        for (SentMessage m : sent) {
            if (!claimed.contains(m.sid()) && match.matches(m)) {
                claimed.add(m.sid());
                return m;
            }
        }
        throw new AssertionError("Expected " + match + " to have been sent, but "
                + (sent.isEmpty() ? "nothing was sent." : "the messages sent were:" + describe(sent)));
    }

    void assertNothingElseSent(List<SentMessage> sent) {
        List<SentMessage> others = sent.stream().filter(m -> !claimed.contains(m.sid())).toList();
        if (!others.isEmpty()) {
            throw new AssertionError("Expected nothing else to have been sent, but also sent:" + describe(others));
        }
    }

    private static String describe(List<SentMessage> messages) {
        StringBuilder s = new StringBuilder();
        for (SentMessage m : messages) {
            s.append(System.lineSeparator()).append("  ").append(m.channel()).append(" to ").append(m.to())
                    .append(m.body().map(b -> " body \"" + b + "\"").orElse(""))
                    .append(m.contentSid().map(c -> " template " + c).orElse(""))
                    .append(m.mediaUrls().isEmpty() ? "" : " media " + m.mediaUrls());
        }
        return s.toString();
    }
}
