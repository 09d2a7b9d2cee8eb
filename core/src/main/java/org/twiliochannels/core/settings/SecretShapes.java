package org.twiliochannels.core.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.twiliochannels.core.internal.Texts;

/**
 * Tells whether a value put in a setting that is not secret is, or looks like, a secret: the
 * configured auth token or API secret (also inside quotes, whitespace or a prefix), or a value of
 * the auth token's or API secret's shape (32 letters and digits: no setting that is not secret
 * takes such a value), also when invisible characters, other spaces or full-width forms are mixed
 * in. Such a value is never quoted anywhere.
 */
final class SecretShapes {
    private static final Pattern SECRET_SHAPE = Pattern.compile("[A-Za-z0-9]{32}");
    /** Secrets shorter than this are not looked for inside other values (too many chance matches). */
    private static final int MIN_SEARCHED = 8;

    /** What is said instead of the value. */
    static final String MESSAGE = "looks like an auth token or API secret (not shown); it belongs in "
            + Keys.AUTH_TOKEN + " or " + Keys.API_SECRET + ", never here.";

    private SecretShapes() {}

    /** The values of the secret keys in {@code settings}, to be looked for in every other value. */
    static List<String> configured(Map<String, Raw> settings) {
        List<String> out = new ArrayList<>();
        for (String k : List.of(Keys.AUTH_TOKEN, Keys.API_SECRET)) {
            Raw r = settings.get(k);
            if (r != null) {
                out.add(r.value().strip());
            }
        }
        return out;
    }

    /** True when {@code value} is or looks like a secret, or contains one of {@code configured}. */
    static boolean looksSecret(String value, Collection<String> configured) {
        String typed = Texts.typedForm(value);
        for (String secret : configured) {
            if (secret.length() >= MIN_SEARCHED && (value.contains(secret) || typed.contains(Texts.typedForm(secret)))) {
                return true;
            }
        }
        String core = typed.strip();
        if (core.length() >= 2 && "\"'`".indexOf(core.charAt(0)) >= 0 && core.charAt(core.length() - 1) == core.charAt(0)) {
            core = core.substring(1, core.length() - 1).strip();
        }
        int colon = core.indexOf(':');
        if (colon > 0 && colon < core.length() - 1 && core.substring(0, colon).chars().allMatch(Character::isLetter)) {
            core = core.substring(colon + 1).strip();
        }
        if (core.startsWith("+")) {
            core = core.substring(1);
        }
        return SECRET_SHAPE.matcher(core).matches();
    }
}
