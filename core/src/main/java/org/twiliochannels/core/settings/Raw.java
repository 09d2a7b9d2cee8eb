package org.twiliochannels.core.settings;

/** A value as read, with the key it was read under and where; never printed. */
record Raw(String key, String value, String source) {
    @Override
    public String toString() {
        return key + " (" + source + ")";
    }
}
