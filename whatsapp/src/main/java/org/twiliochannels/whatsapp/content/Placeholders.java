package org.twiliochannels.whatsapp.content;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Placeholders {@code {{1}}, {{2}} …} in the text fields of a template. */
final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)\\}\\}");
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,2}");
    private static final Pattern SIDE_BY_SIDE = Pattern.compile("\\}\\}\\s*\\{\\{");

    private Placeholders() {}

    /**
     * The placeholder numbers in {@code text}, in order of appearance.
     *
     * @throws InvalidTemplateException for an empty, named or malformed placeholder
     */
    static List<String> in(String field, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String name = m.group(1);
            if (!NUMBER.matcher(name).matches()) {
                throw new InvalidTemplateException(field, "has the placeholder " + m.group()
                        + "; WhatsApp templates take numbered placeholders {{1}}, {{2}} … without spaces.");
            }
            found.add(name);
            rest.append(text, last, m.start());
            last = m.end();
        }
        rest.append(text.substring(last));
        if (rest.indexOf("{{") >= 0 || rest.indexOf("}}") >= 0) {
            throw new InvalidTemplateException(field, "has an unclosed or malformed placeholder; write each as {{1}},"
                    + " {{2}} … with two braces on each side (Twilio error 21656).");
        }
        return found;
    }

    /**
     * Checks WhatsApp's approval rule for a body: it neither starts nor ends with a placeholder, and no
     * two placeholders stand side by side.
     */
    static void checkBody(String field, String body) {
        String trimmed = body.strip();
        if (trimmed.startsWith("{{") || trimmed.endsWith("}}")) {
            throw new InvalidTemplateException(field, "starts or ends with a placeholder; WhatsApp does not approve such"
                    + " a template. Put text before and after it.");
        }
        if (SIDE_BY_SIDE.matcher(body).find()) {
            throw new InvalidTemplateException(field, "has two placeholders side by side; WhatsApp does not approve"
                    + " such a template. Put text between them.");
        }
    }

    /** A text that may not have placeholders (e.g. a URL button's title). */
    static String none(String field, String text) {
        if (!in(field, text).isEmpty()) {
            throw new InvalidTemplateException(field, "has a placeholder; Twilio supports no variables here. Use a fixed text.");
        }
        return text;
    }

    /**
     * A URL: absolute {@code https} or {@code http} with a host and no user info, and at most one
     * placeholder, at its end, after the host (Twilio: "variables are supported at the end of the url").
     */
    static String url(String field, String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidTemplateException(field, "is empty; give an https URL.");
        }
        List<String> vars = in(field, url);
        int open = url.indexOf("{{");
        String fixed = open < 0 ? url : url.substring(0, open);
        if (vars.size() > 1 || (open >= 0 && !url.endsWith("}}"))) {
            throw new InvalidTemplateException(field, "\"" + url + "\" has a placeholder that is not at its end; Twilio"
                    + " takes one variable, at the end of the URL, e.g. https://example.com/orders/{{1}}.");
        }
        URI uri;
        try {
            uri = new URI(open < 0 ? fixed : fixed + "x");
        } catch (URISyntaxException e) {
            throw new InvalidTemplateException(field, "is not a URL (" + e.getReason() + " at index " + e.getIndex()
                    + "); give a public https URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new InvalidTemplateException(field, "is not an http(s) URL; WhatsApp needs a publicly hosted https URL.");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidTemplateException(field, "has user info before the host; WhatsApp fetches the URL"
                    + " without credentials. Give a public URL without them.");
        }
        if (uri.getHost() == null || (open >= 0 && fixed.indexOf('/', scheme.length() + 3) < 0)) {
            throw new InvalidTemplateException(field, "has no fixed host; a placeholder may only stand in the path,"
                    + " e.g. https://example.com/{{1}}.");
        }
        return url;
    }
}
