package org.twiliochannels.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.TwilioChannelsException;

/**
 * A send was refused before any request because the recipient's {@link QuietHours} window is
 * closed: not sent. The message says when the window opens, in UTC and in each of the recipient's
 * local zones, e.g. {@code "… opens at 2026-12-05 14:00 UTC (08:00 America/Chicago, 07:00
 * America/Denver)"}. Send it then ({@link #opensAt()}), for instance with the outbox, which holds
 * such a message until its window opens.
 */
public class QuietHoursException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

    private final MessageCategory category;
    private final transient SendingWindow window;
    private final transient List<ZoneId> zones;
    private final Instant opensAt;

    /**
     * @param recipient the recipient, shown masked
     * @param category  the message's category
     * @param window    the window that is closed
     * @param zones     the recipient's zones the window was checked in
     * @param opensAt   when it opens in all of them
     */
    public QuietHoursException(Address recipient, MessageCategory category, SendingWindow window, List<ZoneId> zones,
                               Instant opensAt) {
        super(message(recipient, category, window, zones, opensAt));
        this.category = category;
        this.window = window;
        this.zones = List.copyOf(zones);
        this.opensAt = opensAt;
    }

    /** When the window opens in all of the recipient's zones. */
    public Instant opensAt() {
        return opensAt;
    }

    /** The message's category. */
    public MessageCategory category() {
        return category;
    }

    /** The window that was closed. */
    public SendingWindow window() {
        return window;
    }

    /** The zones it was checked in. */
    public List<ZoneId> zones() {
        return zones;
    }

    private static String message(Address recipient, MessageCategory category, SendingWindow window,
                                  List<ZoneId> zones, Instant opensAt) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(opensAt, "opensAt");
        String day = DAY_TIME.format(opensAt.atOffset(ZoneOffset.UTC)).substring(0, 10);
        String local = zones.stream().map(z -> {
            String text = DAY_TIME.format(opensAt.atZone(z));
            return (text.startsWith(day) ? text.substring(11) : text) + " " + z.getId();
        }).collect(Collectors.joining(", "));
        return "not sent: " + category + " messages to " + recipient.masked() + " go only " + window
                + " in the recipient's local time, and the window is closed; it opens at "
                + DAY_TIME.format(opensAt.atOffset(ZoneOffset.UTC)) + " UTC (" + local + "). No request was made;"
                + " send it then, or queue it in the outbox, which holds it until the window opens.";
    }
}
