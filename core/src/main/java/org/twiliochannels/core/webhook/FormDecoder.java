package org.twiliochannels.core.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding in UTF-8: a {@code %} not followed by
 * two hex digits, or bytes that are not UTF-8, end in {@link WebhookRejectedException} naming the
 * position, never in {@link IllegalArgumentException}. Messages never quote the body.
 */
final class FormDecoder {
    private FormDecoder() {}

    /** The parameters of {@code body} in order of first appearance, every value of a repeated name kept. */
    static Map<String, List<String>> parse(String body, int maxParameters) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        int count = 0;
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf('&', start);
            if (end < 0) {
                end = body.length();
            }
            if (end > start) {
                if (++count > maxParameters) {
                    throw new WebhookRejectedException(Reason.TOO_LARGE, "the form body has more than " + maxParameters
                            + " parameters; Twilio's webhooks have a few dozen");
                }
                int eq = body.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                String name = decode(body, start, eq);
                String value = eq < end ? decode(body, eq + 1, end) : "";
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return params;
    }

    /** Decodes {@code s[from, to)}: {@code +} is a space, {@code %XY} a byte; the bytes must be UTF-8. */
    static String decode(String s, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            char c = s.charAt(i);
            plain = c != '%' && c != '+' && !Character.isSurrogate(c);
        }
        if (plain) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < to ? hex(s.charAt(i + 1)) : -1;
                int lo = i + 2 < to ? hex(s.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw malformed("'%' at position " + (i + 1) + " is not followed by two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 3;
            } else if (c == '+') {
                bytes.write(' ');
                i++;
            } else {
                int j = i;
                while (j < to && s.charAt(j) != '%' && s.charAt(j) != '+') {
                    j++;
                }
                try {
                    ByteBuffer encoded = encoder.reset().encode(CharBuffer.wrap(s, i, j));
                    bytes.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
                } catch (CharacterCodingException e) {
                    throw malformed("the text at positions " + (i + 1) + " to " + j + " holds a lone surrogate");
                }
                i = j;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformed("the bytes at positions " + (from + 1) + " to " + to + " are not UTF-8");
        }
    }

    /** The value of an ASCII hex digit, or -1 (other scripts' digits are not hex digits here). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static WebhookRejectedException malformed(String what) {
        return new WebhookRejectedException(Reason.MALFORMED_BODY, "the form body is not valid"
                + " application/x-www-form-urlencoded UTF-8: " + what + "; Twilio sends UTF-8 form bodies, so the"
                + " request did not come from Twilio or was changed on the way");
    }
}
