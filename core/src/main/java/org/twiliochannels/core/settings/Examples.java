package org.twiliochannels.core.settings;

import static org.twiliochannels.core.settings.Keys.ACCOUNT_SID;
import static org.twiliochannels.core.settings.Keys.API_KEY;
import static org.twiliochannels.core.settings.Keys.API_SECRET;
import static org.twiliochannels.core.settings.Keys.AUTH_TOKEN;
import static org.twiliochannels.core.settings.Keys.MESSAGING_SERVICE_SID;
import static org.twiliochannels.core.settings.Keys.PHONE_NUMBER;
import static org.twiliochannels.core.settings.Keys.STATUS_CALLBACK;
import static org.twiliochannels.core.settings.Keys.WHATSAPP_FROM;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.twiliochannels.core.settings.SetupReport.Severity;

/**
 * The example values of Twilio's documentation and of common setup guides, in one catalogue: a
 * setting holding one of them was copied and never replaced. Each entry names the keys it applies
 * to, how it is recognised, how serious it is and what it is, and keeps the literal samples it was
 * built from (the tests check every sample).
 */
final class Examples {
    /**
     * One kind of example value.
     *
     * @param keys     the keys it is looked for in
     * @param matches  recognises it (the value as written, not stripped)
     * @param severity a problem, or a warning where sending can still work
     * @param what     what the value is, for the message
     * @param samples  literal values it recognises, from the docs and guides
     */
    record Example(Set<String> keys, Predicate<String> matches, Severity severity, String what, List<String> samples) {}

    private static final Set<String> SIDS = Set.of(ACCOUNT_SID, API_KEY, MESSAGING_SERVICE_SID);
    /** A SID example counts only under its own key: a SID of another kind is reported as such by the parser. */
    private static final java.util.Map<String, String> SID_PREFIXES = java.util.Map.of(ACCOUNT_SID, "AC", API_KEY, "SK",
            MESSAGING_SERVICE_SID, "MG");
    private static final Set<String> SECRETS = Set.of(AUTH_TOKEN, API_SECRET);
    private static final Set<String> NUMBERS = Set.of(PHONE_NUMBER, WHATSAPP_FROM);
    private static final Set<String> DOC_NUMBERS = Set.of("+1234567890", "+15558675309", "+15558675310",
            "+15017122661", "+14155552671", "+15551234567", "+12345678900");
    private static final Set<String> DOC_TOKENS = Set.of("your_auth_token", "your_auth_token_here", "auth_token",
            "your_api_secret", "api_secret", "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6", "0123456789abcdef0123456789abcdef",
            "12345678901234567890123456789012", "abcdef0123456789abcdef0123456789", "1234567890abcdef1234567890abcdef");
    private static final Set<String> EXAMPLE_HOSTS = Set.of("example.com", "example.org", "example.net",
            "your-domain.com", "yourdomain.com", "your-app.com", "yourapp.com", "your-server.com", "myapp.com");

    /** The catalogue, most specific first. */
    static final List<Example> CATALOGUE = List.of(
            new Example(SIDS, v -> v.length() == 34 && v.substring(2).chars().allMatch(c -> c == 'x' || c == 'X'),
                    Severity.PROBLEM, "the placeholder SID of Twilio's docs",
                    List.of("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                            "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "MGxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")),
            new Example(SIDS, v -> v.length() == 34 && Set.of("1234567890abcdef1234567890abcdef",
                    "0123456789abcdef0123456789abcdef").contains(v.substring(2).toLowerCase(Locale.ROOT)),
                    Severity.PROBLEM, "the example SID of setup guides",
                    List.of("AC1234567890abcdef1234567890abcdef", "SK1234567890abcdef1234567890abcdef",
                            "MG1234567890abcdef1234567890abcdef", "AC0123456789abcdef0123456789abcdef")),
            new Example(SECRETS, v -> DOC_TOKENS.contains(v.toLowerCase(Locale.ROOT))
                    || v.length() >= 8 && v.chars().allMatch(c -> c == v.charAt(0)),
                    Severity.PROBLEM, "the example token of Twilio's docs and setup guides",
                    List.of("your_auth_token", "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6", "0123456789abcdef0123456789abcdef",
                            "12345678901234567890123456789012", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "your_api_secret")),
            new Example(NUMBERS, v -> DOC_NUMBERS.contains(bareNumber(v)), Severity.PROBLEM,
                    "an example number of Twilio's docs and setup guides",
                    List.of("+1234567890", "+15558675309", "+15558675310", "+15017122661", "+14155552671",
                            "whatsapp:+15017122661")),
            new Example(NUMBERS, v -> bareNumber(v).matches("\\+1500555000[0-9]"), Severity.WARNING,
                    "one of Twilio's magic test numbers: it works only with test credentials (Twilio Console >"
                            + " Account > API keys & tokens > Test credentials), and real credentials cannot send"
                            + " from it",
                    List.of("+15005550006", "+15005550000", "whatsapp:+15005550006")),
            new Example(Set.of(STATUS_CALLBACK), v -> EXAMPLE_HOSTS.contains(host(v)), Severity.WARNING,
                    "an example URL: Twilio's status callbacks would go nowhere",
                    List.of("https://example.com/twilio/status", "https://your-domain.com/status",
                            "https://www.example.com/callback")),
            new Example(null, Examples::placeholder, Severity.PROBLEM, "a placeholder",
                    List.of("your_account_sid", "<your account sid>", "[AuthToken]", "{{TWILIO_PHONE_NUMBER}}",
                            "YOUR_PHONE_NUMBER", "changeme")));

    private Examples() {}

    /** The example {@code value} of {@code key} is, if it is one. */
    static Optional<Example> find(String key, String value) {
        String v = value.strip();
        return CATALOGUE.stream().filter(e -> e.keys() == null || e.keys().contains(key))
                .filter(e -> e.keys() != SIDS || v.startsWith(SID_PREFIXES.get(key)))
                .filter(e -> e.matches().test(v)).findFirst();
    }

    /** The message for a finding: what the value is and where the user's own comes from. */
    static String message(Example e, String fix) {
        return (e.severity() == Severity.PROBLEM ? "is an example value from the documentation (" + e.what()
                + "): replace it with your own. " : "is " + e.what() + ". ") + fix;
    }

    private static boolean placeholder(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        boolean wrapped = v.length() > 2 && ("<[{".indexOf(v.charAt(0)) >= 0) && (">]}".indexOf(v.charAt(v.length() - 1)) >= 0);
        return wrapped || lower.startsWith("your_") || lower.startsWith("your-") || lower.equals("changeme")
                || lower.equals("xxx") || lower.equals("todo");
    }

    private static String bareNumber(String v) {
        return v.startsWith("whatsapp:") ? v.substring("whatsapp:".length()) : v;
    }

    private static String host(String v) {
        try {
            String h = new URI(v).getHost();
            if (h == null) {
                return "";
            }
            h = h.toLowerCase(Locale.ROOT);
            return h.startsWith("www.") ? h.substring(4) : h;
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }
}
