package org.twiliochannels.core.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Template;

/**
 * A fingerprint of what a message says, to drop the same content sent to the same recipient twice
 * within a period (two code paths sending one notice). It is the SHA-256, as 64 lower-case hex
 * digits, of:
 * <ul>
 *   <li>the body, normalized: Unicode NFC, white space at both ends removed, every run of white
 *       space inside as one space; letter case kept ({@code "Hi"} and {@code "HI"} differ);</li>
 *   <li>the Content template's SID and its variables, names and values, in the order given;</li>
 *   <li>the number of media items (not their URLs, which are often signed links that differ on
 *       every send of the same picture).</li>
 * </ul>
 * Each part is written with its length, so no two different contents share their input. The body
 * is not kept and cannot be read back. The recipient, the sender and the send time are not part of
 * it: a store keys duplicates on (account, recipient, fingerprint) with the time of the send.
 * The form is versioned ({@code v1} is hashed first); a change of the normalization changes the
 * version.
 */
public final class ContentFingerprint {
    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private ContentFingerprint() {}

    /** The fingerprint of a message's body, template and media count. */
    public static String of(Message message) {
        Objects.requireNonNull(message, "message");
        return of(message.body().orElse(""), message.template().orElse(null), message.mediaUrls().size());
    }

    /**
     * The fingerprint of a body, a template (null for none) and a number of media items.
     *
     * @throws IllegalArgumentException when {@code mediaCount} is negative
     */
    public static String of(String body, Template template, int mediaCount) {
        Objects.requireNonNull(body, "body");
        if (mediaCount < 0) {
            throw new IllegalArgumentException("mediaCount " + mediaCount + " must be 0 or more");
        }
        StringBuilder in = new StringBuilder("v1");
        part(in, "body", normalize(body));
        if (template != null) {
            part(in, "template", template.sid().value());
            for (Map.Entry<String, String> v : template.variables().entrySet()) {
                part(in, "name", v.getKey());
                part(in, "value", v.getValue());
            }
        }
        part(in, "media", Integer.toString(mediaCount));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(in.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The body as it is fingerprinted. */
    static String normalize(String body) {
        return SPACES.matcher(Normalizer.normalize(body, Normalizer.Form.NFC).strip()).replaceAll(" ");
    }

    private static void part(StringBuilder in, String name, String value) {
        in.append('\n').append(name).append(':').append(value.length()).append(':').append(value);
    }
}
