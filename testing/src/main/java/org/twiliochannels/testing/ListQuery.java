package org.twiliochannels.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The filters and the page of one message-list request, read from its query string as Twilio reads
 * them: {@code To}, {@code From}, {@code DateSent} / {@code DateSent<} / {@code DateSent>} (GMT;
 * {@code DateSent} matches a whole day, given as {@code YYYY-MM-DD} or as a date-time such as the
 * SDK sends, {@code YYYY-MM-DDThh:mm:ss}; the bounds are inclusive, a date standing for its whole
 * day and a date-time for that second; a message without {@code date_sent}, such as one still
 * queued, never passes a {@code DateSent} filter), {@code PageSize} (1 to 1000, default 50),
 * {@code Page} and {@code PageToken}.
 */
final class ListQuery {
    /** Twilio's page size when none is asked for. */
    static final int DEFAULT_PAGE_SIZE = 50;
    /** The largest page Twilio serves. */
    static final int MAX_PAGE_SIZE = 1000;

    final Optional<String> to;
    final Optional<String> from;
    final Optional<Range> dateSent;
    final Optional<Range> dateSentBefore;
    final Optional<Range> dateSentAfter;
    final int pageSize;
    final int page;
    final Optional<String> pageToken;

    private ListQuery(FormBody query) {
        to = query.first("To");
        from = query.first("From");
        dateSent = query.first("DateSent").map(v -> Range.parse("DateSent", v).wholeDay());
        dateSentBefore = query.first("DateSent<").map(v -> Range.parse("DateSent<", v));
        dateSentAfter = query.first("DateSent>").map(v -> Range.parse("DateSent>", v));
        pageSize = query.first("PageSize").map(v -> number("PageSize", v, 1, MAX_PAGE_SIZE)).orElse(DEFAULT_PAGE_SIZE);
        page = query.first("Page").map(v -> number("Page", v, 0, Integer.MAX_VALUE)).orElse(0);
        pageToken = query.first("PageToken");
        pageToken.ifPresent(t -> {
            if (!t.matches("P[AB](SM|MM)[0-9a-f]{32}")) {
                throw new IllegalArgumentException("PageToken \"" + t + "\" is not one this API gave;"
                        + " follow next_page_uri as it is");
            }
        });
    }

    /**
     * Reads the query of a list request.
     *
     * @throws IllegalArgumentException naming the parameter that is out of range or unreadable
     */
    static ListQuery parse(FormBody query) {
        return new ListQuery(query);
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                + ", was \"" + value + "\"");
    }

    /** True when {@code m} passes every filter. */
    boolean matches(StoredMessage m) {
        if (to.isPresent() && !to.get().equals(m.to())) {
            return false;
        }
        if (from.isPresent() && !from.equals(m.from())) {
            return false;
        }
        if (dateSent.isPresent() || dateSentBefore.isPresent() || dateSentAfter.isPresent()) {
            if (m.dateSent().isEmpty()) {
                return false;
            }
            Instant sent = m.dateSent().get();
            return dateSent.map(r -> !sent.isBefore(r.first) && !sent.isAfter(r.last)).orElse(true)
                    && dateSentBefore.map(r -> !sent.isAfter(r.last)).orElse(true)
                    && dateSentAfter.map(r -> !sent.isBefore(r.first)).orElse(true);
        }
        return true;
    }

    /** The filters, in the order Twilio writes them in page URIs. */
    Map<String, String> filters() {
        Map<String, String> f = new LinkedHashMap<>();
        to.ifPresent(v -> f.put("To", v));
        from.ifPresent(v -> f.put("From", v));
        dateSent.ifPresent(r -> f.put("DateSent", r.text));
        dateSentBefore.ifPresent(r -> f.put("DateSent<", r.text));
        dateSentAfter.ifPresent(r -> f.put("DateSent>", r.text));
        return f;
    }

    /** The instants a {@code DateSent} value stands for, both inclusive, with the text it was given as. */
    record Range(Instant first, Instant last, String text) {
        /** The whole GMT day {@code first} falls on. */
        Range wholeDay() {
            Instant start = first.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
            return new Range(start, start.plusSeconds(86_400).minusNanos(1), text);
        }

        static Range parse(String name, String value) {
            String v = value.strip();
            try {
                if (v.length() == 10) {
                    LocalDate day = LocalDate.parse(v);
                    Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
                    return new Range(start, start.plusSeconds(86_400).minusNanos(1), v);
                }
                Instant at = v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")
                        ? OffsetDateTime.parse(v).toInstant()
                        : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
                return new Range(at, at.plusSeconds(1).minusNanos(1), v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be a GMT date YYYY-MM-DD or date-time"
                        + " YYYY-MM-DDThh:mm:ss, was \"" + value + "\"", e);
            }
        }
    }
}
