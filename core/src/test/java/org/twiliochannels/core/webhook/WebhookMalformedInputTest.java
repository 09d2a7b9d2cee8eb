package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.twiliochannels.core.webhook.Webhooks.URL;
import static org.twiliochannels.core.webhook.Webhooks.sdkSignature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.event.WebhookVerified;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/** Malformed URLs, bodies, headers and sizes end in {@link WebhookRejectedException}, never in another exception. */
class WebhookMalformedInputTest {
    private static final WebhookVerifier VERIFIER = Webhooks.verifier().build();

    private static WebhookRejectedException rejection(WebhookRequest r) {
        return assertThrows(WebhookRejectedException.class, () -> VERIFIER.verify(r));
    }

    @Test
    void malformedFormBodiesAreRejectedAsMalformed() {
        Map<String, String> p = Webhooks.smsInbound("hi");
        String sig = sdkSignature(URL, p);
        String good = Webhooks.formBody(p);
        for (String bad : List.of(good + "&Body=%zz", good + "&x=%", good + "&x=%4", "%" + good, good + "&Body=%C3%28",
                good + "&Body=%E2%82", good + "&Body=%ED%A0%80", good + "&Body=%FF", good + "&Body=\uD800",
                good + "&Body=%\u0661\u0662")) {
            WebhookRejectedException e = rejection(WebhookRequest.ofFormBody(URL, bad, sig));
            assertEquals(Reason.MALFORMED_BODY, e.reason(), bad);
        }
        WebhookRejectedException e = rejection(WebhookRequest.ofFormBody(URL, "Body=caf%zz", sig));
        assertEquals("the form body is not valid application/x-www-form-urlencoded UTF-8: '%' at position 9 is not"
                + " followed by two hex digits; Twilio sends UTF-8 form bodies, so the request did not come from Twilio"
                + " or was changed on the way", e.getMessage());
        assertThrows(WebhookRejectedException.class,
                () -> WebhookRequest.ofFormBody(URL, "a=%", null).parameters(), "parameters() decodes as strictly");
    }

    @Test
    void aFormBodyDecodesPlusPercentAndUtf8() {
        Map<String, List<String>> p = WebhookRequest.ofFormBody(URL, "A=a+b%2B%C3%A9&B&C=&A=2&&=x", null).parameters();
        assertEquals(Map.of("A", List.of("a b+é", "2"), "B", List.of(""), "C", List.of(""), "", List.of("x")), p);
    }

    @Test
    void malformedReceivedUrlsAreRejectedAsMalformed() {
        Map<String, String> p = Webhooks.status("sent");
        for (String bad : List.of("https://example.com/twilio|sms", "https://example.com/twilio sms", "https:///twilio/sms",
                "/twilio/sms", "https://example.com:99999/twilio/sms", "https://example.com:0/twilio/sms",
                "https://example.com:/twilio/sms", "https://example.com:-1/twilio/sms", "ftp://example.com/twilio/sms",
                "https://example.com/twilio\u0000sms", "", "https://bad_host_/twilio/sms", "https:example.com",
                "https://example.com/%zz", "https://[::1/twilio", "mailto:x@example.com", "https://example.com:80a/")) {
            WebhookRejectedException e = rejection(Webhooks.request(bad, p, sdkSignature(bad, p)));
            assertEquals(Reason.MALFORMED_URL, e.reason(), bad);
            assertThrows(WebhookRejectedException.class, () -> VERIFIER.signedUrl(bad), bad);
        }
        WebhookRejectedException e = rejection(Webhooks.request("https://example.com/a|b", p, "sig"));
        assertEquals("the URL the request was received on is not a valid URL (Illegal character in path at index 21);"
                + " pass the full URL as received, e.g. https://example.com/twilio/sms?tenant=42", e.getMessage());
        assertEquals("the URL the request was received on has port 99999, outside 1 to 65535; pass the full URL as"
                + " received, e.g. https://example.com/twilio/sms?tenant=42",
                rejection(Webhooks.request("https://example.com:99999/x", p, "sig")).getMessage());
    }

    @Test
    void hugeInputsAreRejectedAsTooLarge() {
        Map<String, String> p = Webhooks.status("sent");
        String longUrl = "https://example.com/" + "a".repeat(WebhookVerifier.MAX_URL_CHARS);
        assertEquals(Reason.TOO_LARGE, rejection(Webhooks.request(longUrl, p, "sig")).reason());
        String longBody = Webhooks.formBody(p) + "&Big=" + "b".repeat(WebhookVerifier.MAX_BODY_CHARS);
        assertEquals(Reason.TOO_LARGE, rejection(WebhookRequest.ofFormBody(URL, longBody, "sig")).reason());
        assertEquals(Reason.TOO_LARGE, rejection(WebhookRequest.ofJson(URL, "{" + " ".repeat(WebhookVerifier.MAX_BODY_CHARS)
                + "}", "sig")).reason());
        Map<String, String> many = new LinkedHashMap<>(p);
        for (int i = 0; i < WebhookVerifier.MAX_PARAMETERS; i++) {
            many.put("P" + i, "v");
        }
        assertEquals(Reason.TOO_LARGE, rejection(Webhooks.request(URL, many, "sig")).reason());
        assertEquals(Reason.TOO_LARGE, rejection(WebhookRequest.ofFormBody(URL, Webhooks.formBody(many), "sig")).reason());
        Map<String, String> bigValue = new LinkedHashMap<>(p);
        bigValue.put("Big", "b".repeat(WebhookVerifier.MAX_BODY_CHARS));
        assertEquals(Reason.TOO_LARGE, rejection(Webhooks.request(URL, bigValue, "sig")).reason());
    }

    @Test
    void nullBytesAndOddNamesInASignedRequestAreBadFields() {
        Map<String, String> p = Webhooks.status("sent");
        p.put("\u0000", "x");
        WebhookRejectedException e = rejection(Webhooks.signed(URL, p));
        assertEquals(Reason.BAD_FIELD, e.reason());
        assertEquals("a parameter name (a name of 1 characters, not in Twilio's form) is not made of ASCII letters and"
                + " digits starting with a letter, as every name Twilio sends is; the request was not sent by Twilio as"
                + " it is", e.getMessage());
        Map<String, String> q = Webhooks.status("sent");
        q.put("MessageSid", "SM0123456789abcdef0123456789abcde\u0000");
        assertEquals(List.of(Reason.BAD_FIELD, "MessageSid"), List.of(rejection(Webhooks.signed(URL, q)).reason(),
                rejection(Webhooks.signed(URL, q)).field().orElseThrow()));
    }

    @Test
    void badShapesOfSignedFieldsNameTheField() {
        Map<String, Map.Entry<String, String>> cases = new LinkedHashMap<>();
        cases.put("MessageSid", Map.entry("MessageSid", "SM0123"));
        cases.put("SmsSid", Map.entry("SmsSid", "SM0123456789abcdef0123456789abcdee"));
        cases.put("MessagingServiceSid", Map.entry("MessagingServiceSid", "MGxyz"));
        cases.put("ErrorCode", Map.entry("ErrorCode", "30003x"));
        cases.put("MessageStatus", Map.entry("MessageStatus", "Delivered"));
        cases.put("To", Map.entry("To", "+1 415 555 1234"));
        cases.put("ChannelPrefix", Map.entry("ChannelPrefix", "WhatsApp"));
        for (Map.Entry<String, Map.Entry<String, String>> c : cases.entrySet()) {
            Map<String, String> p = Webhooks.status("delivered");
            p.put(c.getValue().getKey(), c.getValue().getValue());
            WebhookRejectedException e = rejection(Webhooks.signed(URL, p));
            assertEquals(Reason.BAD_FIELD, e.reason(), c.getKey());
            assertEquals(c.getKey(), e.field().orElseThrow(), e.getMessage());
            assertFalse(e.getMessage().contains("555 1234"), e.getMessage());
        }
        Map<String, String> extraMedia = Webhooks.smsInbound("hi");
        extraMedia.put("MediaUrl0", "https://api.twilio.com/m/ME1");
        assertEquals("MediaUrl0", rejection(Webhooks.signed(URL, extraMedia)).field().orElseThrow());
        Map<String, String> badMediaUrl = Webhooks.smsInbound("hi");
        badMediaUrl.put("NumMedia", "1");
        badMediaUrl.put("MediaUrl0", "https://api.twilio.com/m|1");
        badMediaUrl.put("MediaContentType0", "image/jpeg");
        assertEquals("MediaUrl0", rejection(Webhooks.signed(URL, badMediaUrl)).field().orElseThrow());
        badMediaUrl.put("MediaUrl0", "https://api.twilio.com/m/1");
        badMediaUrl.put("MediaContentType0", "image jpeg");
        assertEquals("MediaContentType0", rejection(Webhooks.signed(URL, badMediaUrl)).field().orElseThrow());
        Map<String, String> noSid = Webhooks.smsInbound("hi");
        noSid.remove("MessageSid");
        assertEquals("MessageSid", rejection(Webhooks.signed(URL, noSid)).field().orElseThrow());
        Map<String, String> neither = new LinkedHashMap<>(Webhooks.status("sent"));
        neither.remove("MessageStatus");
        assertEquals(Reason.NOT_A_MESSAGING_WEBHOOK, rejection(Webhooks.signed(URL, neither)).reason());
    }

    @Test
    void tenThousandMutatedRequestsEndInARejectionOrAWebhook() {
        List<WebhookVerified> events = new ArrayList<>();
        WebhookVerifier verifier = Webhooks.verifier().listener(new TwilioEventListener() {
            @Override
            public void webhookVerified(WebhookVerified event) {
                events.add(event);
            }
        }).build();
        Random random = new Random(0x7711_0012L);
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            Fuzzed f = Fuzzed.next(random);
            boolean ok;
            try {
                TwilioWebhook w = verifier.verify(f.request);
                assertInstanceOf(TwilioWebhook.class, w);
                accepted++;
                ok = true;
            } catch (WebhookRejectedException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
                assertFalse(e.getMessage().contains("4155551234") || e.getMessage().contains("Grüße"),
                        "case " + i + " (" + f.how + "): " + e.getMessage());
                assertEquals(e.reason().tag(), events.get(events.size() - 1).reason(), "case " + i);
                ok = false;
            } catch (Throwable t) {
                fail("case " + i + " (" + f.how + ") threw " + t + " for " + f.request, t);
                return;
            }
            assertEquals(i + 1, events.size(), "one event per verification");
            WebhookVerified event = events.get(i);
            assertEquals(ok, event.accepted(), "case " + i);
            assertTrue(Set.of("inbound", "status", "unknown").contains(event.kind()), event.kind());
        }
        assertTrue(accepted > 100, "accepted " + accepted + "; rejected " + reasons);
        for (Reason r : List.of(Reason.MALFORMED_BODY, Reason.MALFORMED_URL, Reason.INVALID_SIGNATURE,
                Reason.MISSING_SIGNATURE, Reason.BAD_FIELD, Reason.BODY_MISMATCH, Reason.TOO_LARGE)) {
            assertTrue(reasons.getOrDefault(r, 0) > 0, "no case ended in " + r + ": " + reasons);
        }
    }

    /** One mutated request: a genuine one with its URL, body, parameters or signature changed at random. */
    private record Fuzzed(WebhookRequest request, String how) {
        private static final List<String> URL_TOKENS = List.of("|", " ", "%", "%zz", "\u0000", "[", "]", ":99999", ":0",
                ":", "@", "#", "\\", "é", "\n", "^", "`", "{", "<", "\"", "%00", "//", "?", ":443", ":80", "\uD800");
        private static final List<String> BODY_TOKENS = List.of("%", "%z", "%zz", "%C3%28", "%ED%A0%80", "%FF", "&", "=",
                "+", "%00", "\uD800", "&&", "=&=", "👋", "%E2%82", "%2", "%%", "&Body=x", "&MessageSid=x", "\u0000");
        private static final List<String> BAD_VALUES = List.of("", " ", "x", "SM", "AC", "2010-04-01x", "-1", "99999999",
                "whatsapp:", "+", "+0123", "\u0000", "%", "1e3", "https://", "image/", "a:b c", "received\n");

        static Fuzzed next(Random r) {
            int base = r.nextInt(5);
            Map<String, String> p = switch (base) {
                case 0 -> Webhooks.inbound();
                case 1 -> Webhooks.smsInbound("hello " + r.nextInt(1000));
                case 2 -> Webhooks.status("delivered");
                case 3 -> Webhooks.undelivered();
                default -> null;
            };
            String url = r.nextBoolean() ? URL : "https://example.com:8443/twilio/status";
            StringBuilder how = new StringBuilder("base " + base);
            if (p != null && r.nextInt(3) == 0) {
                mutateParameters(r, p, how);
            }
            String signedUrl = url;
            if (r.nextInt(4) == 0) {
                url = mutate(r, url, URL_TOKENS, how.append(", url"));
                if (r.nextBoolean()) {
                    signedUrl = url;
                }
            }
            if (p == null) {
                String json = "{\"AccountSid\":\"" + p(r) + "\",\"MessageSid\":\"" + Webhooks.MESSAGE_SID
                        + "\",\"MessageStatus\":\"sent\"}";
                String signedJson = json;
                if (r.nextInt(3) == 0) {
                    json = mutate(r, json, BODY_TOKENS, how.append(", json"));
                    if (r.nextBoolean()) {
                        signedJson = json;
                    }
                }
                String hashed = signedUrl + (signedUrl.contains("?") ? "&" : "?") + "bodySHA256=" + sha256(signedJson);
                String received = url + (url.contains("?") ? "&" : "?") + "bodySHA256=" + sha256(signedJson);
                return new Fuzzed(WebhookRequest.ofJson(received, json, signature(r, sdkSignature(hashed, Map.of()), how)),
                        how.toString());
            }
            String signature = signature(r, sdkSignature(signedUrl, p), how);
            if (r.nextBoolean()) {
                return new Fuzzed(Webhooks.request(url, p, signature), how.toString());
            }
            String body = Webhooks.formBody(p);
            if (r.nextInt(3) == 0) {
                body = mutate(r, body, BODY_TOKENS, how.append(", body"));
            }
            return new Fuzzed(WebhookRequest.ofFormBody(url, body, signature), how.toString());
        }

        private static String p(Random r) {
            return r.nextInt(10) == 0 ? "AC00000000000000000000000000000002" : org.twiliochannels.core.testsupport.TestValues.ACCOUNT_SID;
        }

        private static void mutateParameters(Random r, Map<String, String> p, StringBuilder how) {
            List<String> names = new ArrayList<>(new TreeMap<>(p).keySet());
            String name = names.get(r.nextInt(names.size()));
            switch (r.nextInt(4)) {
                case 0 -> {
                    p.put(name, BAD_VALUES.get(r.nextInt(BAD_VALUES.size())));
                    how.append(", bad ").append(name);
                }
                case 1 -> {
                    p.remove(name);
                    how.append(", removed ").append(name);
                }
                case 2 -> {
                    String fresh = r.nextBoolean() ? "X" + r.nextInt(100) : "x y" + (char) r.nextInt(0x3000);
                    p.put(fresh, BAD_VALUES.get(r.nextInt(BAD_VALUES.size())));
                    how.append(", added a parameter");
                }
                default -> {
                    // shift the boundary between a value and the next name in signing order
                    int at = names.indexOf(name);
                    if (at + 1 < names.size()) {
                        String next = names.get(at + 1);
                        String merged = p.get(name) + next + p.get(next);
                        int cut = r.nextInt(merged.length() + 1);
                        p.remove(next);
                        p.put(name, merged.substring(0, cut));
                        String tail = merged.substring(cut);
                        if (!tail.isEmpty()) {
                            int split = 1 + r.nextInt(tail.length());
                            p.put(tail.substring(0, split), tail.substring(split));
                        }
                        how.append(", shifted ").append(name).append('/').append(next);
                    }
                }
            }
        }

        private static String signature(Random r, String genuine, StringBuilder how) {
            return switch (r.nextInt(12)) {
                case 0 -> {
                    how.append(", no signature");
                    yield null;
                }
                case 1 -> {
                    how.append(", empty signature");
                    yield "";
                }
                case 2 -> {
                    how.append(", flipped signature");
                    char[] c = genuine.toCharArray();
                    int i = r.nextInt(c.length);
                    c[i] = c[i] == 'A' ? 'B' : 'A';
                    yield new String(c);
                }
                case 3 -> {
                    how.append(", huge signature");
                    yield "A".repeat(100_000);
                }
                case 4 -> {
                    how.append(", odd signature");
                    yield "\u0000\uD800 é";
                }
                default -> genuine;
            };
        }

        private static String mutate(Random r, String s, List<String> tokens, StringBuilder how) {
            StringBuilder b = new StringBuilder(s);
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                int op = r.nextInt(10);
                int at = r.nextInt(b.length() + 1);
                if (op < 6) {
                    b.insert(at, tokens.get(r.nextInt(tokens.size())));
                } else if (op < 8 && b.length() > 0) {
                    int end = Math.min(b.length(), at + 1 + r.nextInt(8));
                    b.delete(Math.min(at, b.length() - 1), end);
                } else if (op < 9) {
                    b.setLength(Math.min(at, b.length()));
                } else if (r.nextInt(20) == 0) {
                    b.append("x".repeat(WebhookVerifier.MAX_BODY_CHARS + 1));
                } else {
                    b.insert(at, (char) r.nextInt(0x10000));
                }
            }
            return b.toString();
        }

        private static String sha256(String s) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String toString() {
            return how;
        }
    }
}
