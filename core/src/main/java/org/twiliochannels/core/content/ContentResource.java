package org.twiliochannels.core.content;

import java.util.Objects;
import org.twiliochannels.core.ContentSid;

/**
 * A Content resource as Twilio returned it: its SID, friendly name and language (together the key
 * by which an application finds its template) and the resource's JSON as received, for a
 * comparison with a definition.
 *
 * @param sid          its {@code HX…} SID
 * @param friendlyName its {@code friendly_name}
 * @param language     its {@code language}
 * @param json         the resource as Twilio wrote it ({@code content.v1.content})
 */
public record ContentResource(ContentSid sid, String friendlyName, String language, String json) {
    /** Validates the components. */
    public ContentResource {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(json, "json");
    }

    /** True when it has this friendly name and language. */
    public boolean is(String friendlyName, String language) {
        return this.friendlyName.equals(friendlyName) && this.language.equals(language);
    }

    /** The SID, name and language; not the JSON. */
    @Override
    public String toString() {
        return "ContentResource[" + sid + " " + friendlyName + " (" + language + ")]";
    }
}
