package org.twiliochannels.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Twilio's regional host names, mapped as the SDK maps them: {@code {product}.{edge}.{region}.twilio.com},
 * with region {@code us1} when only an edge is given. Not API.
 */
public final class TwilioHosts {
    /** The region Twilio uses when only an edge is given. */
    public static final String DEFAULT_REGION = "us1";

    private TwilioHosts() {}

    /**
     * {@code host} (e.g. {@code api.twilio.com}) for {@code region} and {@code edge}, either may be
     * null; a region or edge already in {@code host} is kept unless replaced.
     */
    public static String regional(String host, String region, String edge) {
        String[] pieces = host.split("\\.");
        if (pieces.length < 2 || (region == null && edge == null)) {
            return host;
        }
        String targetRegion = region;
        String targetEdge = edge;
        if (pieces.length == 4) {
            targetRegion = targetRegion != null ? targetRegion : pieces[1];
        } else if (pieces.length == 5) {
            targetEdge = targetEdge != null ? targetEdge : pieces[1];
            targetRegion = targetRegion != null ? targetRegion : pieces[2];
        }
        if (targetEdge != null && targetRegion == null) {
            targetRegion = DEFAULT_REGION;
        }
        List<String> parts = new ArrayList<>();
        parts.add(pieces[0]);
        if (targetEdge != null) {
            parts.add(targetEdge);
        }
        if (targetRegion != null) {
            parts.add(targetRegion);
        }
        parts.add(pieces[pieces.length - 2]);
        parts.add(pieces[pieces.length - 1]);
        return String.join(".", parts);
    }
}
