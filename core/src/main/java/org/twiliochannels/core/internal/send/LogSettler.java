package org.twiliochannels.core.internal.send;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.internal.twilio.TwilioApi;
import org.twiliochannels.core.internal.twilio.TwilioApi.LogPage;
import org.twiliochannels.core.internal.twilio.TwilioApi.LoggedMessage;
import org.twiliochannels.core.internal.Timing;

/**
 * Searches the account's message log for the message a lost answer may have created: filtered by
 * {@code To} (and {@code From} for a fixed sender), newest first, page by page until
 * {@code date_created} is older than the window, matched on what was sent. Never filters on
 * {@code DateSent}: a queued message has none. Not API.
 */
final class LogSettler {
    /** Messages per page of the log. */
    static final int PAGE_SIZE = 100;
    /** Pages read at the most before the search gives up as unknown. */
    static final int MAX_PAGES = 20;
    /** What Twilio puts before the body of messages sent from a trial account. */
    static final String TRIAL_PREFIX = "Sent from your Twilio trial account - ";

    private final TwilioApi api;
    private final RequestRunner runner;
    private final Duration clockSkew;

    /** A settler reading through {@code api} with {@code runner}'s read rules. */
    LogSettler(TwilioApi api, RequestRunner runner, Duration clockSkew) {
        this.api = api;
        this.runner = runner;
        this.clockSkew = clockSkew;
    }

    /** What the search found, with the pages read. */
    record Search(List<LoggedMessage> matches, int pages, Optional<String> failure) {
        /** The single match as a state. */
        MessageState state() {
            return matches.get(0).state();
        }

        /** The SIDs of the matches. */
        List<MessageSid> sids() {
            return matches.stream().map(m -> MessageSid.of(m.sid())).toList();
        }
    }

    /** The messages of one recipient (and sender) in a window, as far as the log could be read. */
    record Listing(List<LoggedMessage> messages, int pages, Optional<String> failure, Duration skew) {
        /** The messages matching {@code query} and created in its window, with this listing's failure. */
        Search search(SettleQuery query) {
            Instant oldest = query.notBefore().minus(skew);
            Instant newest = query.notAfter().plus(skew);
            return new Search(messages.stream().filter(m -> {
                Instant created = m.dateCreated().orElse(null);
                return (created == null || (!created.isBefore(oldest) && !created.isAfter(newest))) && matches(m, query);
            }).toList(), pages, failure);
        }
    }

    /**
     * Searches the log; a log that cannot be read gives a search with {@code failure} set.
     *
     * @param endNanos when the search must end, {@link Timing#nanoTime()} scale
     */
    Search search(String channel, SettleQuery query, long endNanos) {
        return list(channel, query.to(), query.from(), query.notBefore(), query.notAfter(), endNanos).search(query);
    }

    /**
     * Lists the messages to {@code to} (from {@code from} when present) created in the window,
     * widened by the clock-skew allowance: newest first, page by page until older than the window.
     */
    Listing list(String channel, Address to, Optional<Address> from, Instant notBefore, Instant notAfter,
                        long endNanos) {
        Instant oldest = notBefore.minus(clockSkew);
        Instant newest = notAfter.plus(clockSkew);
        List<LoggedMessage> found = new ArrayList<>();
        int pages = 0;
        try {
            LogPage page = runner.readUntil(endNanos, channel, to::masked, end -> api.messages(to, from, PAGE_SIZE, end),
                    p -> p.messages().size() + " messages");
            while (true) {
                pages++;
                boolean older = false;
                for (LoggedMessage m : page.messages()) {
                    Instant created = m.dateCreated().orElse(null);
                    if (created != null && created.isBefore(oldest)) {
                        older = true; // newest first: the rest of the log is older still
                        break;
                    }
                    if (created == null || !created.isAfter(newest)) {
                        found.add(m);
                    }
                }
                if (older || page.next().isEmpty()) {
                    return new Listing(found, pages, Optional.empty(), clockSkew);
                }
                if (pages >= MAX_PAGES) {
                    return new Listing(found, pages, Optional.of("more than " + MAX_PAGES * PAGE_SIZE
                            + " messages to this recipient in the window"), clockSkew);
                }
                LogPage current = page;
                page = runner.readUntil(endNanos, channel, to::masked, end -> api.nextPage(current, end),
                        p -> p.messages().size() + " messages");
            }
        } catch (TwilioChannelsException e) {
            return new Listing(found, pages, Optional.of("the log could not be read: " + e.getMessage()), clockSkew);
        }
    }

    /** True when {@code m} is what the query describes. */
    static boolean matches(LoggedMessage m, SettleQuery q) {
        if (m.to().filter(to -> sameAddress(to, q.to())).isEmpty()) {
            return false;
        }
        if (q.from().isPresent() && m.from().isPresent() && !sameAddress(m.from().get(), q.from().get())) {
            return false;
        }
        if (q.body().isPresent()) {
            String body = m.body().orElse("");
            String sent = q.body().get();
            if (!(body.equals(sent) || body.equals(TRIAL_PREFIX + sent))) {
                return false;
            }
        }
        if (q.template().isEmpty()) {
            return m.numMedia().isEmpty() || m.numMedia().getAsInt() == q.mediaCount();
        }
        return true;
    }

    private static boolean sameAddress(String logged, Address sent) {
        return logged.strip().equalsIgnoreCase(sent.value());
    }
}
