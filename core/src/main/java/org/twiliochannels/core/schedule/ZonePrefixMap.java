package org.twiliochannels.core.schedule;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * libphonenumber's prefix to time-zone data, read once from {@value #RESOURCE}: per prefix length,
 * the sorted prefixes and the index of their zone list; each distinct zone list kept once. A
 * look-up is a longest-prefix match: at most 9 binary searches over arrays of primitive longs.
 */
final class ZonePrefixMap {
    /** The data file, next to this class. */
    static final String RESOURCE = "timezones-map_data.txt";
    private static final int MAX_LENGTH = 18;
    private static final long[] POW = new long[MAX_LENGTH + 1];

    static {
        POW[0] = 1;
        for (int i = 1; i <= MAX_LENGTH; i++) {
            POW[i] = POW[i - 1] * 10;
        }
    }

    /** {@code prefixes[n]}: the sorted prefixes of n digits; {@code zoneIndex[n][i]}: the zone list of {@code prefixes[n][i]}. */
    private final long[][] prefixes = new long[MAX_LENGTH + 1][];
    private final int[][] zoneIndex = new int[MAX_LENGTH + 1][];
    /** The distinct zone lists as in the data; each resolved to {@link ZoneId}s on its first look-up. */
    private final String[][] zoneIds;
    private final AtomicReferenceArray<List<ZoneId>> zoneLists;
    private final int entries;

    private ZonePrefixMap(Map<Integer, TreeMap<Long, Integer>> byLength, List<String[]> zoneIds, int entries) {
        for (Map.Entry<Integer, TreeMap<Long, Integer>> e : byLength.entrySet()) {
            int n = e.getKey();
            prefixes[n] = e.getValue().keySet().stream().mapToLong(Long::longValue).toArray();
            zoneIndex[n] = e.getValue().values().stream().mapToInt(Integer::intValue).toArray();
        }
        this.zoneIds = zoneIds.toArray(new String[0][]);
        this.zoneLists = new AtomicReferenceArray<>(this.zoneIds.length);
        this.entries = entries;
    }

    /** The data of this jar, loaded on first use. */
    static ZonePrefixMap shipped() {
        return Shipped.MAP;
    }

    private static final class Shipped {
        static final ZonePrefixMap MAP = load();

        private static ZonePrefixMap load() {
            try (InputStream in = ZonePrefixMap.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the time-zone data " + RESOURCE + " is missing from the class path;"
                            + " it ships in twilio-channels-core next to " + ZonePrefixMap.class.getName());
                }
                return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the time-zone data " + RESOURCE, e);
            }
        }
    }

    /**
     * Reads lines {@code prefix|Zone&Zone…}; {@code #} lines and empty lines are skipped. Every zone
     * must be one this Java runtime knows; its rules are loaded only when a look-up returns it.
     */
    static ZonePrefixMap parse(BufferedReader reader) throws IOException {
        Map<Integer, TreeMap<Long, Integer>> byLength = new TreeMap<>();
        Map<String, Integer> listIds = new HashMap<>();
        List<String[]> lists = new ArrayList<>();
        Set<String> known = ZoneId.getAvailableZoneIds();
        int entries = 0;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int bar = line.indexOf('|');
            String prefix = bar < 0 ? "" : line.substring(0, bar);
            if (bar <= 0 || prefix.length() > MAX_LENGTH || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": expected prefix|Zone&Zone…");
            }
            String zones = line.substring(bar + 1);
            Integer id = listIds.get(zones);
            if (id == null) {
                id = lists.size();
                listIds.put(zones, id);
                String[] ids = zones.split("&");
                for (String zone : ids) {
                    if (!known.contains(zone)) {
                        throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": time zone " + zone
                                + " is unknown to this Java runtime (" + Runtime.version() + "); update the runtime's"
                                + " time-zone data (tzupdater) or the runtime");
                    }
                }
                lists.add(ids);
            }
            byLength.computeIfAbsent(prefix.length(), n -> new TreeMap<>()).put(Long.parseLong(prefix), id);
            entries++;
        }
        return new ZonePrefixMap(byLength, lists, entries);
    }

    /**
     * The zones of the longest prefix of {@code digits} in the data, and that prefix's length; the
     * length is 0 and the list empty when no prefix matches.
     *
     * @param digits the digits of an E.164 number without {@code +}
     * @param length the count of those digits
     */
    Match lookup(long digits, int length) {
        if (length < 1 || length > MAX_LENGTH) {
            return new Match(List.of(), 0);
        }
        for (int n = Math.min(length, MAX_LENGTH); n >= 1; n--) {
            long[] keys = prefixes[n];
            if (keys == null) {
                continue;
            }
            int i = Arrays.binarySearch(keys, digits / POW[length - n]);
            if (i >= 0) {
                return new Match(zones(zoneIndex[n][i]), n);
            }
        }
        return new Match(List.of(), 0);
    }

    private List<ZoneId> zones(int list) {
        List<ZoneId> zones = zoneLists.get(list);
        if (zones == null) {
            zones = Arrays.stream(zoneIds[list]).map(ZoneId::of).toList();
            if (!zoneLists.compareAndSet(list, null, zones)) {
                zones = zoneLists.get(list);
            }
        }
        return zones;
    }

    /** The number of prefixes read. */
    int entries() {
        return entries;
    }

    /** The number of distinct zone lists. */
    int zoneLists() {
        return zoneIds.length;
    }

    /** A look-up's result. */
    record Match(List<ZoneId> zones, int prefixLength) {}
}
