package org.twiliochannels.core.schedule;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;

/**
 * When messages of each {@link MessageCategory} may be sent, in the recipient's local time: a
 * {@link SendingWindow} per category, overridden per country and per number prefix. Immutable and
 * thread-safe; build one per account (quiet hours are the sending account's policy).
 *
 * <h2>Which window applies</h2>
 * For a recipient and a category, the window of the longest matching {@link Builder#prefix number
 * prefix} override, else that of the {@link Builder#country country} override (the number's
 * region, e.g. {@code US} or {@code CA} within +1), else the category's {@link Builder#window
 * window}, else none: the whole day. {@link MessageCategory#CRITICAL} is never held, and no
 * window can be configured for it.
 *
 * <h2>The law is the application's call</h2>
 * {@link #defaults()} holds MARKETING to 08:00–21:00 local time, the US federal window for
 * telephone solicitation (47 CFR 64.1200(c)(1); the FTC's 16 CFR 310.4(c) has the same hours),
 * which covers texts. Several US states are stricter for solicitations: Florida (Fla. Stat.
 * 501.616(6)(a), since 2021-07-01), Oklahoma (Telephone Solicitation Act of 2022, since
 * 2022-11-01) and Maryland (Stop the Spam Calls Act of 2023) allow 08:00–20:00. A state cannot be
 * told reliably from a number (people keep their numbers when they move), so this library does
 * not guess it: an application that applies those rules lists the area codes it takes for each
 * state with {@link Builder#prefix}, e.g. {@code prefix("+1305", MARKETING, SendingWindow.of("08:00", "20:00"))}.
 * Other countries' rules (France's CNIL asks for consent, not hours) are likewise the
 * application's to add with {@link Builder#country}.
 *
 * <h2>Time zones</h2>
 * {@link #nextAllowed(Address, MessageCategory, List, Instant)} takes the zones the recipient may
 * be in; give the person's own zone when you know it (it wins over the number's), else pass
 * {@link RecipientTimeZones#of(Address)} or call the overload that does. A message may go only
 * when the window is open in <em>every</em> zone given. Daylight-saving changes are taken as they
 * come: a window that starts at a local time that a change skips opens when the clocks jump. When
 * no zone is known, the {@link Builder#unknownZone unknown-zone fallback} is used, or the call
 * fails: the library does not guess.
 */
public final class QuietHours {
    /** How far ahead {@link #nextAllowed} looks for a time at which every zone's window is open. */
    static final int HORIZON_DAYS = 14;

    private final Map<MessageCategory, SendingWindow> windows;
    private final Map<String, Map<MessageCategory, SendingWindow>> countries;
    private final Map<String, Map<MessageCategory, SendingWindow>> prefixes;
    private final ZoneId unknownZone;
    /** The categories some window holds: any other is answered at once, with no look-up. */
    private final java.util.Set<MessageCategory> held;

    private QuietHours(Builder b) {
        windows = copy(b.windows);
        countries = Map.copyOf(b.countries.entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> copy(e.getValue()))));
        prefixes = Map.copyOf(b.prefixes.entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> copy(e.getValue()))));
        unknownZone = b.unknownZone;
        java.util.Set<MessageCategory> h = java.util.EnumSet.noneOf(MessageCategory.class);
        collectHeld(windows, h);
        countries.values().forEach(m -> collectHeld(m, h));
        prefixes.values().forEach(m -> collectHeld(m, h));
        held = java.util.Collections.unmodifiableSet(h);
    }

    private static void collectHeld(Map<MessageCategory, SendingWindow> map, java.util.Set<MessageCategory> out) {
        map.forEach((category, window) -> {
            if (!window.isAllDay()) {
                out.add(category);
            }
        });
    }

    /** MARKETING 08:00–21:00 (the US federal window); TRANSACTIONAL and CRITICAL at any time. */
    public static QuietHours defaults() {
        return builder().window(MessageCategory.MARKETING, SendingWindow.of("08:00", "21:00")).build();
    }

    /** No window for any category: nothing is ever held. */
    public static QuietHours none() {
        return builder().build();
    }

    /** An empty builder: no window for any category until one is given. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.windows.putAll(windows);
        countries.forEach((k, v) -> b.countries.put(k, new EnumMap<>(v)));
        prefixes.forEach((k, v) -> b.prefixes.put(k, new EnumMap<>(v)));
        b.unknownZone = unknownZone;
        return b;
    }

    /** The window for {@code category} to {@code recipient}; {@link SendingWindow#ALL_DAY} when none applies. */
    public SendingWindow window(Address recipient, MessageCategory category) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(category, "category");
        if (!held.contains(category)) {
            return SendingWindow.ALL_DAY;               // CRITICAL, and any category no window holds
        }
        Optional<PhoneNumber> number = prefixes.isEmpty() && countries.isEmpty() ? Optional.empty() : number(recipient);
        if (number.isPresent()) {
            String e164 = number.get().value();
            for (int n = e164.length(); n >= 2; n--) {
                Map<MessageCategory, SendingWindow> prefix = prefixes.get(e164.substring(0, n));
                if (prefix != null && prefix.containsKey(category)) {
                    return prefix.get(category);
                }
            }
            if (!countries.isEmpty()) {
                Map<MessageCategory, SendingWindow> country = countries.get(region(number.get()));
                if (country != null && country.containsKey(category)) {
                    return country.get(category);
                }
            }
        }
        return windows.getOrDefault(category, SendingWindow.ALL_DAY);
    }

    /** As {@link #nextAllowed(Address, MessageCategory, List, Instant)} with the zones of the number ({@link RecipientTimeZones}). */
    public Instant nextAllowed(Address recipient, MessageCategory category, Instant now) {
        if (window(recipient, category).isAllDay()) {
            Objects.requireNonNull(now, "now");
            return now;                                 // no window: no need to look the zones up
        }
        return nextAllowed(recipient, category, RecipientTimeZones.of(recipient), now);
    }

    /**
     * The earliest instant at or after {@code now} at which a message of {@code category} may go to
     * {@code recipient}: {@code now} itself when the window is open in all of {@code zones}, else
     * the first instant at which it is open in all of them at once.
     *
     * @param zones the zones the recipient may be in; the person's own zone alone when the
     *              application knows it; empty when unknown (then the unknown-zone fallback applies)
     * @throws IllegalArgumentException when {@code zones} is empty and no fallback is set, or when
     *                                  the window is never open in all zones at once (within
     *                                  two weeks): pass the person's own zone
     */
    public Instant nextAllowed(Address recipient, MessageCategory category, List<ZoneId> zones, Instant now) {
        Objects.requireNonNull(zones, "zones");
        Objects.requireNonNull(now, "now");
        SendingWindow window = window(recipient, category);
        if (window.isAllDay()) {
            return now;
        }
        List<ZoneId> used = zones(recipient, zones);
        if (openInAll(window, used, now)) {
            return now;
        }
        TreeSet<Instant> candidates = new TreeSet<>();
        Instant horizon = now.plus(java.time.Duration.ofDays(HORIZON_DAYS));
        for (ZoneId zone : used) {
            ZoneRules rules = zone.getRules();
            LocalDate first = now.atZone(zone).toLocalDate();
            for (int day = 0; day <= HORIZON_DAYS; day++) {
                openings(rules, first.plusDays(day).atTime(window.start()), candidates);
            }
            for (ZoneOffsetTransition t = rules.nextTransition(now); t != null && t.getInstant().isBefore(horizon);
                    t = rules.nextTransition(t.getInstant())) {
                candidates.add(t.getInstant());
            }
        }
        for (Instant candidate : candidates.tailSet(now, false)) {
            if (openInAll(window, used, candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("zones " + used + ": the " + category + " window " + window + " for "
                + recipient.masked() + " is never open in all of them at once; pass the recipient's own time zone");
    }

    /**
     * The check a send makes before any request.
     *
     * @throws QuietHoursException when the window is closed at {@code now}: not sent; it says when it opens
     * @throws IllegalArgumentException as {@link #nextAllowed(Address, MessageCategory, List, Instant)}
     */
    public void requireOpen(Address recipient, MessageCategory category, List<ZoneId> zones, Instant now) {
        Instant next = nextAllowed(recipient, category, zones, now);
        if (!next.equals(now)) {
            throw new QuietHoursException(recipient, category, window(recipient, category), zones(recipient, zones), next);
        }
    }

    /** The zone used when a recipient's zones are unknown, if one was set. */
    public Optional<ZoneId> unknownZone() {
        return Optional.ofNullable(unknownZone);
    }

    private List<ZoneId> zones(Address recipient, List<ZoneId> zones) {
        if (!zones.isEmpty()) {
            zones.forEach(z -> Objects.requireNonNull(z, "zones"));
            return List.copyOf(zones);
        }
        if (unknownZone != null) {
            return List.of(unknownZone);
        }
        throw new IllegalArgumentException("zones: the time zone of " + recipient.masked() + " is unknown (its number"
                + " is not in " + RecipientTimeZones.DATA_SOURCE + "); pass the recipient's own zone, or set"
                + " QuietHours.Builder.unknownZone");
    }

    /**
     * The instants at which local time reaches {@code start}: one, or two when the clocks go back
     * over it. When the clocks skip it, the window opens at the jump, which the caller adds with
     * every other transition (a jump back can also reopen a window).
     */
    private static void openings(ZoneRules rules, LocalDateTime start, TreeSet<Instant> out) {
        for (java.time.ZoneOffset offset : rules.getValidOffsets(start)) {
            out.add(start.atOffset(offset).toInstant());
        }
    }

    private static boolean openInAll(SendingWindow window, List<ZoneId> zones, Instant at) {
        for (ZoneId zone : zones) {
            if (!window.contains(at.atZone(zone).toLocalTime())) {
                return false;
            }
        }
        return true;
    }

    private static Optional<PhoneNumber> number(Address recipient) {
        if (recipient instanceof PhoneNumber n) {
            return Optional.of(n);
        }
        if (recipient instanceof WhatsAppAddress w) {
            return Optional.of(w.phoneNumber());
        }
        return Optional.empty();
    }

    private static String region(PhoneNumber number) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            String region = util.getRegionCodeForNumber(util.parse(number.value(), "ZZ"));
            return region == null ? "ZZ" : region;
        } catch (NumberParseException e) {
            return "ZZ";
        }
    }

    private static Map<MessageCategory, SendingWindow> copy(Map<MessageCategory, SendingWindow> map) {
        return map.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(map));
    }

    /** Builds a {@link QuietHours}; every setting is optional. */
    public static final class Builder {
        private final Map<MessageCategory, SendingWindow> windows = new EnumMap<>(MessageCategory.class);
        private final Map<String, Map<MessageCategory, SendingWindow>> countries = new TreeMap<>();
        private final Map<String, Map<MessageCategory, SendingWindow>> prefixes = new TreeMap<>();
        private ZoneId unknownZone;

        private Builder() {}

        /**
         * The window of {@code category} everywhere without an override. {@link SendingWindow#ALL_DAY}
         * removes it.
         *
         * @throws IllegalArgumentException for {@link MessageCategory#CRITICAL}, which is never held
         */
        public Builder window(MessageCategory category, SendingWindow window) {
            windows.put(checked(category, window), window);
            return this;
        }

        /**
         * The window of {@code category} for numbers of one country, by its ISO 3166 region code as
         * libphonenumber gives it ({@code "US"}, {@code "CA"}, {@code "FR"}).
         *
         * @throws IllegalArgumentException for a region libphonenumber does not know, or CRITICAL
         */
        public Builder country(String region, MessageCategory category, SendingWindow window) {
            Objects.requireNonNull(region, "region");
            if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
                String upper = region.strip().toUpperCase(Locale.ROOT);
                throw new IllegalArgumentException("region \"" + region + "\" is not an ISO 3166 region code of a"
                        + " numbering plan" + (PhoneNumberUtil.getInstance().getSupportedRegions().contains(upper)
                        ? "; write it \"" + upper + "\"" : "; use two upper-case letters, e.g. \"US\" or \"FR\""));
            }
            countries.computeIfAbsent(region, r -> new EnumMap<>(MessageCategory.class)).put(checked(category, window), window);
            return this;
        }

        /**
         * The window of {@code category} for numbers that start with {@code prefix}, {@code +} and
         * digits: an area code ({@code "+1305"}) or any longer prefix. The longest matching prefix wins.
         *
         * @throws IllegalArgumentException for a prefix not written {@code +} and 1 to 15 digits, or CRITICAL
         */
        public Builder prefix(String prefix, MessageCategory category, SendingWindow window) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.matches("\\+[1-9][0-9]{0,14}")) {
                throw new IllegalArgumentException("prefix \"" + prefix + "\" must be + and the first digits of E.164"
                        + " numbers, e.g. \"+1305\" for the area code 305");
            }
            prefixes.computeIfAbsent(prefix, p -> new EnumMap<>(MessageCategory.class)).put(checked(category, window), window);
            return this;
        }

        /**
         * The zone to take when a recipient's zones are unknown (not in the data, and none given).
         * Default: none, and such a recipient's held categories fail with a message saying so.
         */
        public Builder unknownZone(ZoneId zone) {
            this.unknownZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The policy. */
        public QuietHours build() {
            return new QuietHours(this);
        }

        private static MessageCategory checked(MessageCategory category, SendingWindow window) {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(window, "window");
            if (category == MessageCategory.CRITICAL) {
                throw new IllegalArgumentException("category CRITICAL is never held by quiet hours (one-time codes,"
                        + " security alerts); give windows for MARKETING or TRANSACTIONAL only");
            }
            return category;
        }
    }
}
