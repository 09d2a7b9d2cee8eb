package org.twiliochannels.core.internal.send;

import com.twilio.base.Page;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageReader;
import com.twilio.type.PhoneNumber;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.internal.Timing;

/**
 * Searches the account's message log for the message a lost answer may have created: filtered by
 * {@code To} (and {@code From} for a fixed sender), newest first, page by page until
 * {@code date_created} is older than the window, matched on what was sent. Never filters on
 * {@code DateSent}: a queued message has none. Not API.
 */
public final class LogSettler {
    /** Messages per page of the log. */
    static final int PAGE_SIZE = 100;
    /** Pages read at the most before the search gives up as unknown. */
    static final int MAX_PAGES = 20;
    /** What Twilio puts before the body of messages sent from a trial account. */
    static final String TRIAL_PREFIX = "Sent from your Twilio trial account - ";

    private final TwilioRestClient rest;
    private final RequestRunner runner;
    private final Duration clockSkew;

    /** A settler reading through {@code rest} with {@code runner}'s read rules. */
    public LogSettler(TwilioRestClient rest, RequestRunner runner, Duration clockSkew) {
        this.rest = rest;
        this.runner = runner;
        this.clockSkew = clockSkew;
    }

    /** What the search found, with the pages read. */
    public record Search(List<Message> matches, int pages, Optional<String> failure) {
        /** The single match as a state. */
        MessageState state() {
            Message m = matches.get(0);
            return new MessageState(MessageSid.of(m.getSid()), MessageStatus.fromTwilio(String.valueOf(m.getStatus())),
                    m.getErrorCode() == null ? OptionalInt.empty() : OptionalInt.of(m.getErrorCode()),
                    Optional.ofNullable(m.getErrorMessage()).filter(s -> !s.isBlank()));
        }

        /** The SIDs of the matches. */
        List<MessageSid> sids() {
            return matches.stream().map(m -> MessageSid.of(m.getSid())).toList();
        }
    }

    /** The messages of one recipient (and sender) in a window, as far as the log could be read. */
    public record Listing(List<Message> messages, int pages, Optional<String> failure, Duration skew) {
        /** The messages matching {@code query} and created in its window, with this listing's failure. */
        public Search search(SettleQuery query) {
            Instant oldest = query.notBefore().minus(skew);
            Instant newest = query.notAfter().plus(skew);
            return new Search(messages.stream().filter(m -> {
                Instant created = created(m);
                return (created == null || (!created.isBefore(oldest) && !created.isAfter(newest))) && matches(m, query);
            }).toList(), pages, failure);
        }
    }

    /**
     * Searches the log; a log that cannot be read gives a search with {@code failure} set.
     *
     * @param endNanos when the search must end, {@link Timing#nanoTime()} scale
     */
    public Search search(String channel, SettleQuery query, long endNanos) {
        return list(channel, query.to(), query.from(), query.notBefore(), query.notAfter(), endNanos).search(query);
    }

    /**
     * Lists the messages to {@code to} (from {@code from} when present) created in the window,
     * widened by the clock-skew allowance: newest first, page by page until older than the window.
     */
    public Listing list(String channel, Address to, Optional<Address> from, Instant notBefore, Instant notAfter,
                        long endNanos) {
        Instant oldest = notBefore.minus(clockSkew);
        Instant newest = notAfter.plus(clockSkew);
        MessageReader reader = Message.reader().setTo(new PhoneNumber(to.value())).setPageSize((long) PAGE_SIZE);
        from.ifPresent(f -> reader.setFrom(new PhoneNumber(f.value())));
        List<Message> found = new ArrayList<>();
        int pages = 0;
        try {
            Page<Message> page = runner.readUntil(endNanos, channel, to::masked, () -> reader.firstPage(rest),
                    p -> p.getRecords().size() + " messages");
            while (true) {
                pages++;
                boolean older = false;
                for (Message m : page.getRecords()) {
                    Instant created = created(m);
                    if (created != null && created.isBefore(oldest)) {
                        older = true; // newest first: the rest of the log is older still
                        break;
                    }
                    if (created == null || !created.isAfter(newest)) {
                        found.add(m);
                    }
                }
                if (older || !page.hasNextPage()) {
                    return new Listing(found, pages, Optional.empty(), clockSkew);
                }
                if (pages >= MAX_PAGES) {
                    return new Listing(found, pages, Optional.of("more than " + MAX_PAGES * PAGE_SIZE
                            + " messages to this recipient in the window"), clockSkew);
                }
                Page<Message> current = page;
                page = runner.readUntil(endNanos, channel, to::masked, () -> reader.nextPage(current, rest),
                        p -> p.getRecords().size() + " messages");
            }
        } catch (TwilioChannelsException e) {
            return new Listing(found, pages, Optional.of("the log could not be read: " + e.getMessage()), clockSkew);
        }
    }

    private static Instant created(Message m) {
        return m.getDateCreated() == null ? null : m.getDateCreated().toInstant();
    }

    /** True when {@code m} is what the query describes. */
    static boolean matches(Message m, SettleQuery q) {
        if (!sameAddress(m.getTo(), q.to())) {
            return false;
        }
        if (q.from().isPresent() && m.getFrom() != null && !sameAddress(m.getFrom().toString(), q.from().get())) {
            return false;
        }
        if (q.body().isPresent()) {
            String body = m.getBody() == null ? "" : m.getBody();
            String sent = q.body().get();
            if (!(body.equals(sent) || body.equals(TRIAL_PREFIX + sent))) {
                return false;
            }
        }
        if (q.template().isEmpty()) {
            int media = parse(m.getNumMedia());
            return media < 0 || media == q.mediaCount();
        }
        return true;
    }

    private static boolean sameAddress(String logged, Address sent) {
        return logged != null && logged.strip().equalsIgnoreCase(sent.value());
    }

    private static int parse(String n) {
        try {
            return n == null ? -1 : Integer.parseInt(n.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
