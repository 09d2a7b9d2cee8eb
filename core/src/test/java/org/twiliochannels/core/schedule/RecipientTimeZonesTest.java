package org.twiliochannels.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.PrefixedAddress;
import org.twiliochannels.core.WhatsAppAddress;

class RecipientTimeZonesTest {

    private static List<String> zones(String number) {
        return RecipientTimeZones.of(PhoneNumber.of(number)).stream().map(ZoneId::getId).toList();
    }

    @Test
    void theShippedDataIsLibphonenumbersFileUnchangedWithItsLicenceAndNotice() throws Exception {
        byte[] data;
        try (InputStream in = ZonePrefixMap.class.getResourceAsStream(ZonePrefixMap.RESOURCE)) {
            assertNotNull(in);
            data = in.readAllBytes();
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        String notice;
        try (InputStream in = ZonePrefixMap.class.getResourceAsStream("NOTICE-timezones.txt")) {
            notice = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(notice.contains("sha256     : " + sha256), "NOTICE must name the file's sha256 " + sha256);
        assertTrue(notice.contains("Tag        : v9.0.19") && RecipientTimeZones.DATA_SOURCE.contains("v9.0.19"));
        try (InputStream in = ZonePrefixMap.class.getResourceAsStream("LICENSE-libphonenumber-Apache-2.0.txt")) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("Apache License"));
        }
        assertEquals(3285, ZonePrefixMap.shipped().entries());
    }

    @Test
    void anAreaCodeGivesItsZoneAndSouthDakotaGivesTwo() {
        assertEquals(List.of("America/New_York"), zones("+12125551234"));
        assertEquals(List.of("America/Edmonton"), zones("+14035551234"));
        assertEquals(List.of("America/Denver", "America/North_Dakota/Center"), zones("+16055551234"));
        assertEquals(List.of("America/Adak", "America/Anchorage"), zones("+19075551234"));
        assertEquals(List.of("Australia/Sydney"), zones("+61212345678"), "an Australian fixed line: its prefix");
        assertEquals(List.of("America/New_York"), RecipientTimeZones.of(WhatsAppAddress.of("whatsapp:+12125551234"))
                .stream().map(ZoneId::getId).toList());
    }

    @Test
    void aNonGeographicNumberGetsItsCountrysZonesAsLibphonenumberDoes() {
        assertEquals(List.of("Australia/Adelaide", "Australia/Brisbane", "Australia/Eucla", "Australia/Lord_Howe",
                "Australia/Perth", "Australia/Sydney", "Indian/Christmas", "Indian/Cocos"), zones("+61412345678"),
                "an Australian mobile starts like a Sydney number, but mobiles are not geographic there");
        List<String> tollFree = zones("+18005551234");
        assertEquals(42, tollFree.size(), tollFree.toString());
        assertTrue(tollFree.containsAll(List.of("America/New_York", "Pacific/Guam", "Pacific/Honolulu")));
    }

    @Test
    void aNumberTheDataDoesNotCoverHasNoZoneRatherThanAGuess() {
        assertEquals(List.of(), zones("+80012345678"), "+800 international freephone has no zone");
        assertEquals(List.of(), RecipientTimeZones.of(PrefixedAddress.of("messenger:1234567890")));
    }

    @Test
    void theLongestPrefixWinsAndBadDataNamesItsLine() throws Exception {
        ZonePrefixMap map = ZonePrefixMap.parse(new BufferedReader(new StringReader(
                "# comment\n\n1|America/Chicago&America/New_York\n1212|America/New_York\n12125|Europe/Paris\n")));
        assertEquals(List.of(ZoneId.of("Europe/Paris")), map.lookup(12125551234L, 11).zones());
        assertEquals(List.of(ZoneId.of("America/New_York")), map.lookup(12124551234L, 11).zones());
        assertEquals(2, map.lookup(13125551234L, 11).zones().size());
        assertEquals(1, map.lookup(13125551234L, 11).prefixLength());
        assertEquals(0, map.lookup(44207946012L, 11).prefixLength());
        assertEquals(3, map.zoneLists());
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> ZonePrefixMap.parse(
                new BufferedReader(new StringReader("1|America/Chicago\n1x2|Europe/Paris\n"))));
        assertEquals("timezones-map_data.txt line 2: expected prefix|Zone&Zone…", bad.getMessage());
        IllegalStateException mars = assertThrows(IllegalStateException.class, () -> ZonePrefixMap.parse(
                new BufferedReader(new StringReader("# x\n1|America/Chicago&Mars/Olympus\n"))));
        assertTrue(mars.getMessage().startsWith("timezones-map_data.txt line 2: time zone Mars/Olympus is unknown to"
                + " this Java runtime ("), mars.getMessage());
    }
}
