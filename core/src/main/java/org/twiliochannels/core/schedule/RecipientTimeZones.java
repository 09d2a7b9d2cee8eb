package org.twiliochannels.core.schedule;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;

/**
 * The time zones a phone number's owner is likely in, from libphonenumber's prefix data (the
 * country, and for North America the area code), looked up as libphonenumber's
 * {@code PhoneNumberToTimeZonesMapper.getTimeZonesForNumber} does:
 * <ul>
 *   <li>a geographic number (fixed line, or fixed line or mobile as US and Canadian numbers are;
 *       mobiles too in Mexico, Argentina, Brazil, Indonesia and China) gets the zones of the longest
 *       prefix of its digits in the data: {@code +1 212…} is {@code America/New_York};</li>
 *   <li>any other number (a UK mobile, a toll-free number) gets the zones of its country calling
 *       code: {@code +44 7…} is {@code Europe/Guernsey, Europe/Isle_of_Man, Europe/Jersey, Europe/London};</li>
 *   <li>a number the data does not cover gets an empty list: the zone is unknown, never guessed.</li>
 * </ul>
 * A prefix can map to several zones ({@code +1 605…}, South Dakota: {@code America/Denver} and
 * {@code America/North_Dakota/Center}); all of them are returned, in the data's order, and
 * {@link QuietHours} sends only when its window is open in every one. An application that knows
 * the person's own zone passes that instead.
 *
 * <p>The data is libphonenumber v9.0.19's {@code resources/timezones/map_data.txt}, shipped
 * unchanged in this jar with its Apache-2.0 licence and a NOTICE naming its source (next to this
 * class). It is read once, on first use (3,285 prefixes, about 0.1 s), and kept in primitive arrays
 * and shared zone lists of about 90 KB; a zone's rules are loaded by {@link ZoneId} only when a
 * look-up first returns it. A look-up is at most nine binary searches (well under a microsecond) plus,
 * for numbers whose prefix is longer than their calling code (North America, for one),
 * libphonenumber's number-type check (about 7 µs).
 *
 * <p>Thread-safe; no state besides the data.
 */
public final class RecipientTimeZones {
    /** Where the data comes from, as its NOTICE names it. */
    public static final String DATA_SOURCE = "libphonenumber v9.0.19 resources/timezones/map_data.txt";

    private RecipientTimeZones() {}

    /** The zones of {@code number}: one or more, or empty when unknown. */
    public static List<ZoneId> of(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        String e164 = number.value();
        int length = e164.length() - 1;
        long digits = Long.parseLong(e164, 1, e164.length(), 10);
        ZonePrefixMap.Match match = ZonePrefixMap.shipped().lookup(digits, length);
        if (match.prefixLength() == 0) {
            return List.of();
        }
        int codeLength = callingCodeLength(e164);
        if (match.prefixLength() <= codeLength) {
            return match.zones();                       // the country's own zones: no need to know the type
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        com.google.i18n.phonenumbers.Phonenumber.PhoneNumber parsed;
        try {
            parsed = util.parse(e164, "ZZ");
        } catch (NumberParseException e) {
            return List.of();
        }
        if (util.isNumberGeographical(parsed)) {
            return match.zones();
        }
        return ZonePrefixMap.shipped().lookup(parsed.getCountryCode(), codeLength).zones();
    }

    /** The length of the number's country calling code (calling codes are prefix-free), or 0. */
    private static int callingCodeLength(String e164) {
        Set<Integer> codes = PhoneNumberUtil.getInstance().getSupportedCallingCodes();
        for (int n = 1; n <= 3 && n < e164.length(); n++) {
            if (codes.contains(Integer.parseInt(e164, 1, 1 + n, 10))) {
                return n;
            }
        }
        return 0;
    }

    /**
     * The zones of the number behind {@code address} (a {@link PhoneNumber} or a
     * {@link WhatsAppAddress}); empty for other addresses, whose zone is unknown.
     */
    public static List<ZoneId> of(Address address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof PhoneNumber n) {
            return of(n);
        }
        if (address instanceof WhatsAppAddress w) {
            return of(w.phoneNumber());
        }
        return List.of();
    }
}
