package org.twiliochannels.core.internal.twilio;

/** Versions reported in the {@code User-Agent} header. Not API. */
final class Versions {
    static final String LIBRARY = orDev(Versions.class.getPackage().getImplementationVersion());
    static final String TWILIO_SDK = orDev(com.twilio.Twilio.class.getPackage().getImplementationVersion());

    private Versions() {}

    private static String orDev(String v) {
        return v == null ? "dev" : v;
    }
}
