package org.twiliochannels.core.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What kind of message this is, which decides whether quiet hours and frequency caps apply. The
 * names follow the common split of US messaging law and of carriers' rules (marketing versus
 * transactional), with WhatsApp's template categories as the closest match: MARKETING is
 * WhatsApp's <em>Marketing</em>, TRANSACTIONAL its <em>Utility</em>, CRITICAL its
 * <em>Authentication</em> and more.
 */
public enum MessageCategory {
    /**
     * Promotions, offers, newsletters, campaigns: what the US rules on telephone solicitation cover.
     * By default held to 08:00–21:00 in the recipient's time zone ({@link QuietHours#defaults()}).
     */
    MARKETING,
    /**
     * A message the person expects as part of something they asked for: an order update, an
     * appointment reminder, a delivery notice. No sending window by default; an application can
     * give one (a reminder at 3 a.m. helps nobody).
     */
    TRANSACTIONAL,
    /**
     * A message that loses its point when it waits: a one-time code, a fraud or security alert, an
     * outage notice. Never held by quiet hours, whatever the configuration says; frequency caps
     * still apply when given (they protect against SMS pumping of one-time codes).
     */
    CRITICAL;

    /**
     * The category named {@code text}, in any letter case ({@code "marketing"}), as a command line
     * or a property gives it.
     *
     * @throws IllegalArgumentException naming the categories there are
     */
    public static MessageCategory of(String text) {
        Objects.requireNonNull(text, "text");
        String upper = text.strip().toUpperCase(Locale.ROOT);
        for (MessageCategory c : values()) {
            if (c.name().equals(upper)) {
                return c;
            }
        }
        throw new IllegalArgumentException("category \"" + text + "\" is none of " + Arrays.stream(values())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + "; one-time codes and alerts are critical, promotions marketing, the rest transactional");
    }
}
