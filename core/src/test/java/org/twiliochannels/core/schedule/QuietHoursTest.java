package org.twiliochannels.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.twiliochannels.core.schedule.MessageCategory.CRITICAL;
import static org.twiliochannels.core.schedule.MessageCategory.MARKETING;
import static org.twiliochannels.core.schedule.MessageCategory.TRANSACTIONAL;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;

class QuietHoursTest {
    static final PhoneNumber NEW_YORK = PhoneNumber.of("+12125551234");
    static final PhoneNumber SOUTH_DAKOTA = PhoneNumber.of("+16055551234");
    static final PhoneNumber MIAMI = PhoneNumber.of("+13055551234");
    static final PhoneNumber CALGARY = PhoneNumber.of("+14035551234");
    static final ZoneId NY = ZoneId.of("America/New_York");
    static final QuietHours DEFAULTS = QuietHours.defaults();

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void marketingWaitsForEightAndStopsAtNineLocalTime() {
        assertEquals(at("2026-12-04T13:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, at("2026-12-04T12:00:00Z")),
                "07:00 in New York: wait for 08:00 EST");
        Instant open = at("2026-12-04T14:00:00Z");
        assertEquals(open, DEFAULTS.nextAllowed(NEW_YORK, MARKETING, open));
        assertEquals(at("2026-12-04T13:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, at("2026-12-04T13:00:00Z")));
        assertEquals(at("2026-12-05T13:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, at("2026-12-05T02:00:00Z")),
                "21:00 is closed: the window ends before it");
        Instant night = at("2026-12-05T07:00:00Z");
        assertEquals(night, DEFAULTS.nextAllowed(NEW_YORK, TRANSACTIONAL, night));
        assertEquals(night, DEFAULTS.nextAllowed(NEW_YORK, CRITICAL, night));
        assertEquals(at("2026-12-05T13:00:00Z"), DEFAULTS.nextAllowed(WhatsAppAddress.of(NEW_YORK), MARKETING, night));
    }

    @Test
    void aNumberWithTwoZonesWaitsUntilTheWindowIsOpenInBoth() {
        // Winter: America/Denver is UTC-7, America/North_Dakota/Center UTC-6.
        assertEquals(at("2026-12-04T15:00:00Z"), DEFAULTS.nextAllowed(SOUTH_DAKOTA, MARKETING, at("2026-12-04T14:30:00Z")),
                "08:30 Central but 07:30 Mountain: wait for 08:00 Mountain");
        Instant late = at("2026-12-05T02:30:00Z");
        assertEquals(late, DEFAULTS.nextAllowed(SOUTH_DAKOTA, MARKETING, late), "20:30 Central, 19:30 Mountain");
        assertEquals(at("2026-12-05T15:00:00Z"), DEFAULTS.nextAllowed(SOUTH_DAKOTA, MARKETING, at("2026-12-05T03:00:00Z")),
                "21:00 Central closes it although it is 20:00 Mountain");
    }

    @Test
    void daylightSavingChangesMoveTheOpeningInUtc() {
        // 2026-03-08: US clocks go from 02:00 to 03:00; 08:00 EDT is 12:00 UTC (13:00 the day before).
        assertEquals(at("2026-03-08T12:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, at("2026-03-08T06:00:00Z")));
        assertEquals(at("2026-03-07T13:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, at("2026-03-07T06:00:00Z")));
        // 2026-11-01: clocks go back from 02:00 to 01:00; 08:00 EST is 13:00 UTC.
        assertEquals(at("2026-11-01T13:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, at("2026-11-01T04:00:00Z")));
        // Both zones of +1 605 change on 2026-03-08: 08:00 MDT is 14:00 UTC.
        assertEquals(at("2026-03-08T14:00:00Z"), DEFAULTS.nextAllowed(SOUTH_DAKOTA, MARKETING, at("2026-03-08T09:00:00Z")));
    }

    @Test
    void zonesThatChangeTheirClocksOnDifferentDays() {
        List<ZoneId> newYorkAndLondon = List.of(NY, ZoneId.of("Europe/London"));
        // 2026-03-20: New York is on EDT (UTC-4) already, London still on GMT: open 12:00 to 21:00 UTC.
        assertEquals(at("2026-03-20T12:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, newYorkAndLondon,
                at("2026-03-20T11:00:00Z")));
        Instant evening = at("2026-03-20T20:30:00Z");
        assertEquals(evening, DEFAULTS.nextAllowed(NEW_YORK, MARKETING, newYorkAndLondon, evening));
        // 2026-04-10: London is on BST (UTC+1) too: 21:00 in London is 20:00 UTC, closed until 12:00 UTC.
        assertEquals(at("2026-04-11T12:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, newYorkAndLondon,
                at("2026-04-10T20:30:00Z")));
        // London changes at 01:00 UTC on 2026-03-29: 20:30 UTC is open on the 28th, closed on the 29th.
        Instant saturday = at("2026-03-28T20:30:00Z");
        assertEquals(saturday, DEFAULTS.nextAllowed(NEW_YORK, MARKETING, newYorkAndLondon, saturday));
        assertEquals(at("2026-03-30T12:00:00Z"), DEFAULTS.nextAllowed(NEW_YORK, MARKETING, newYorkAndLondon,
                at("2026-03-29T20:30:00Z")));
    }

    @Test
    void aWindowStartingInASkippedHourOpensWhenTheClocksJump() {
        QuietHours early = QuietHours.builder().window(MARKETING, SendingWindow.of("02:30", "05:00")).build();
        assertEquals(at("2026-03-08T07:00:00Z"), early.nextAllowed(NEW_YORK, MARKETING, List.of(NY),
                at("2026-03-08T06:00:00Z")), "02:00 EST jumps to 03:00 EDT, which is after 02:30");
        QuietHours repeated = QuietHours.builder().window(MARKETING, SendingWindow.of("01:30", "05:00")).build();
        assertEquals(at("2026-11-01T05:30:00Z"), repeated.nextAllowed(NEW_YORK, MARKETING, List.of(NY),
                at("2026-11-01T04:00:00Z")), "the first 01:30, in EDT");
        assertEquals(at("2026-11-01T06:30:00Z"), repeated.nextAllowed(NEW_YORK, MARKETING, List.of(NY),
                at("2026-11-01T06:00:00Z")), "clocks went back to 01:00 EST: closed until 01:30 EST again");
    }

    @Test
    void theApplicationsZoneWinsOverTheNumbers() {
        Instant sevenInNewYork = at("2026-12-04T12:00:00Z");
        assertEquals(sevenInNewYork, DEFAULTS.nextAllowed(NEW_YORK, MARKETING, List.of(ZoneId.of("Europe/Paris")),
                sevenInNewYork), "13:00 in Paris, where the person lives now");
    }

    @Test
    void prefixAndCountryOverridesAndTheirPrecedence() {
        SendingWindow eightToEight = SendingWindow.of("08:00", "20:00");
        QuietHours florida = DEFAULTS.newBuilder().prefix("+1305", MARKETING, eightToEight)
                .country("CA", MARKETING, SendingWindow.of("09:00", "21:00"))
                .country("US", MARKETING, SendingWindow.of("10:00", "21:00")).build();
        assertEquals(eightToEight, florida.window(MIAMI, MARKETING), "the prefix wins over the country");
        assertEquals(SendingWindow.of("10:00", "21:00"), florida.window(NEW_YORK, MARKETING));
        assertEquals(SendingWindow.of("09:00", "21:00"), florida.window(CALGARY, MARKETING), "+1 403 is Canada");
        assertEquals(SendingWindow.ALL_DAY, florida.window(MIAMI, TRANSACTIONAL));
        Instant halfPastSeven = at("2026-12-05T00:30:00Z");
        assertEquals(halfPastSeven, florida.nextAllowed(MIAMI, MARKETING, halfPastSeven));
        assertEquals(at("2026-12-05T13:00:00Z"), florida.nextAllowed(MIAMI, MARKETING, at("2026-12-05T01:00:00Z")));
        assertEquals(SendingWindow.of("08:00", "21:00"), DEFAULTS.window(MIAMI, MARKETING));
        QuietHours lifted = DEFAULTS.newBuilder().prefix("+1212", MARKETING, SendingWindow.ALL_DAY).build();
        Instant night = at("2026-12-05T07:00:00Z");
        assertEquals(night, lifted.nextAllowed(NEW_YORK, MARKETING, night));
    }

    @Test
    void aClosedWindowIsRefusedSayingWhenItOpensLocallyAndInUtc() {
        QuietHoursException e = assertThrows(QuietHoursException.class, () -> DEFAULTS.requireOpen(SOUTH_DAKOTA,
                MARKETING, RecipientTimeZones.of(SOUTH_DAKOTA), at("2026-12-04T14:30:00Z")));
        assertEquals("not sent: MARKETING messages to +1605***1234 go only 08:00\u201321:00 in the recipient's local"
                + " time, and the window is closed; it opens at 2026-12-04 15:00 UTC (08:00 America/Denver, 09:00"
                + " America/North_Dakota/Center). No request was made; send it then, or queue it in the outbox, which"
                + " holds it until the window opens.", e.getMessage());
        assertEquals(at("2026-12-04T15:00:00Z"), e.opensAt());
        assertFalse(e.mayHaveBeenSent());
        QuietHoursException nextDay = assertThrows(QuietHoursException.class, () -> DEFAULTS.requireOpen(NEW_YORK,
                MARKETING, List.of(ZoneId.of("Asia/Tokyo"), NY), at("2026-12-04T13:30:00Z")));
        assertTrue(nextDay.getMessage().contains("opens at 2026-12-04 23:00 UTC (2026-12-05 08:00 Asia/Tokyo, 18:00 America/New_York)"),
                nextDay.getMessage());
        DEFAULTS.requireOpen(NEW_YORK, MARKETING, List.of(NY), at("2026-12-04T14:00:00Z"));
    }

    @Test
    void noGuessWhenTheZoneIsUnknownOrTheZonesNeverShareAnOpenHour() {
        PhoneNumber freephone = PhoneNumber.of("+80012345678");
        Instant now = at("2026-12-04T03:00:00Z");
        assertEquals("zones: the time zone of +8001***5678 is unknown (its number is not in libphonenumber v9.0.19"
                + " resources/timezones/map_data.txt); pass the recipient's own zone, or set"
                + " QuietHours.Builder.unknownZone", assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.nextAllowed(freephone, MARKETING, now)).getMessage());
        assertEquals(now, DEFAULTS.nextAllowed(freephone, CRITICAL, now));
        QuietHours fallback = DEFAULTS.newBuilder().unknownZone(ZoneId.of("UTC")).build();
        assertEquals(at("2026-12-04T08:00:00Z"), fallback.nextAllowed(freephone, MARKETING, now));
        assertEquals(ZoneId.of("UTC"), fallback.unknownZone().orElseThrow());

        assertEquals(at("2026-12-04T22:00:00Z"), DEFAULTS.nextAllowed(PhoneNumber.of("+18005551234"), MARKETING, now),
                "a toll-free number may be anywhere from Guam to Pago Pago: 08:00 in Guam, 11:00 in Pago Pago");
        QuietHours mornings = QuietHours.builder().window(MARKETING, SendingWindow.of("08:00", "12:00")).build();
        assertEquals("zones [Asia/Tokyo, America/New_York]: the MARKETING window 08:00\u201312:00 for +1212***1234 is"
                + " never open in all of them at once; pass the recipient's own time zone",
                assertThrows(IllegalArgumentException.class, () -> mornings.nextAllowed(NEW_YORK, MARKETING,
                        List.of(ZoneId.of("Asia/Tokyo"), NY), now)).getMessage());
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        assertEquals("category CRITICAL is never held by quiet hours (one-time codes, security alerts); give windows"
                + " for MARKETING or TRANSACTIONAL only", assertThrows(IllegalArgumentException.class,
                () -> QuietHours.builder().window(CRITICAL, SendingWindow.of("08:00", "21:00"))).getMessage());
        assertEquals("region \"us\" is not an ISO 3166 region code of a numbering plan; write it \"US\"",
                assertThrows(IllegalArgumentException.class, () -> QuietHours.builder().country("us", MARKETING,
                        SendingWindow.ALL_DAY)).getMessage());
        assertEquals("region \"XX\" is not an ISO 3166 region code of a numbering plan; use two upper-case letters,"
                + " e.g. \"US\" or \"FR\"", assertThrows(IllegalArgumentException.class, () -> QuietHours.builder()
                .country("XX", MARKETING, SendingWindow.ALL_DAY)).getMessage());
        assertEquals("prefix \"1305\" must be + and the first digits of E.164 numbers, e.g. \"+1305\" for the area"
                + " code 305", assertThrows(IllegalArgumentException.class, () -> QuietHours.builder().prefix("1305",
                MARKETING, SendingWindow.ALL_DAY)).getMessage());
    }

    @Test
    void categoriesAreReadInAnyLetterCase() {
        assertEquals(MARKETING, MessageCategory.of(" Marketing "));
        assertEquals(CRITICAL, MessageCategory.of("critical"));
        assertEquals("category \"promo\" is none of marketing, transactional, critical; one-time codes and alerts are"
                + " critical, promotions marketing, the rest transactional",
                assertThrows(IllegalArgumentException.class, () -> MessageCategory.of("promo")).getMessage());
    }

    @Test
    void windowsEndAfterTheyStartWithinOneDay() {
        assertEquals("end 06:00 is before start 22:00: a sending window is open from start until end within one"
                + " local day; give an end after the start (e.g. 08:00–21:00), 00:00 for midnight, or split a window"
                + " that runs across midnight in two", assertThrows(IllegalArgumentException.class,
                () -> SendingWindow.of("22:00", "06:00")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SendingWindow.of("08:00", "08:00"))
                .getMessage().startsWith("end 08:00 is equal to start 08:00:"));
        assertEquals("start \"8:00\" must be a local time HH:MM, e.g. \"08:00\"",
                assertThrows(IllegalArgumentException.class, () -> SendingWindow.of("8:00", "21:00")).getMessage());
        assertEquals("end \"24:00\" must be a local time HH:MM between 00:00 and 23:59 (00:00 as end for midnight),"
                + " e.g. \"21:00\"", assertThrows(IllegalArgumentException.class,
                () -> SendingWindow.of("08:00", "24:00")).getMessage());
        assertEquals("start 08:00:30 must be whole minutes, e.g. 08:00", assertThrows(IllegalArgumentException.class,
                () -> new SendingWindow(LocalTime.of(8, 0, 30), LocalTime.of(21, 0))).getMessage());
        SendingWindow untilMidnight = SendingWindow.of("22:00", "00:00");
        assertTrue(untilMidnight.contains(LocalTime.of(23, 59, 59)));
        assertFalse(untilMidnight.contains(LocalTime.MIDNIGHT));
        assertFalse(SendingWindow.of("08:00", "21:00").contains(LocalTime.of(21, 0)));
        assertTrue(SendingWindow.of("08:00", "21:00").contains(LocalTime.of(8, 0)));
        assertTrue(SendingWindow.ALL_DAY.contains(LocalTime.MIDNIGHT) && SendingWindow.ALL_DAY.isAllDay());
        assertEquals("08:00\u201321:00", SendingWindow.of("08:00", "21:00").toString());
    }
}
