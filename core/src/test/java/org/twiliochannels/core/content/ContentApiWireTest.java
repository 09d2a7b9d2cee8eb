package org.twiliochannels.core.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.ClientClosedException;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

/** The Content API on the account's transport: paths on the custom base URL, Basic auth, JSON bodies, retries and settling. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ContentApiWireTest {
    private static final String SID = "HX0123456789abcdef0123456789abcdef";
    private static final String CREATE = "{\"friendly_name\":\"hello\",\"language\":\"en\",\"variables\":{},"
            + "\"types\":{\"twilio/text\":{\"body\":\"Hello there.\"}}}";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioAccount open() {
        return TwilioAccount.open(TwilioConfig.builder().credentials(TestValues.credentials())
                .apiBaseUrl(server.url("/").uri())
                .retryPolicy(RetryPolicy.defaults().newBuilder().settleDelay(Duration.ZERO)
                        .initialBackoff(Duration.ofMillis(1)).build()).build());
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static String resource(String sid, String name) {
        return "{\"sid\":\"" + sid + "\",\"friendly_name\":\"" + name + "\",\"language\":\"en\",\"variables\":{},"
                + "\"types\":{\"twilio/text\":{\"body\":\"Hello there.\"}}}";
    }

    private static String page(String next, String... resources) {
        return "{\"contents\":[" + String.join(",", resources) + "],\"meta\":{\"next_page_url\":"
                + (next == null ? "null" : "\"" + next + "\"") + ",\"key\":\"contents\"}}";
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((TestValues.credentials().username() + ":"
                + TestValues.credentials().revealPassword()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void createPostsTheJsonBodyToTheBaseUrlWithBasicAuth() throws Exception {
        server.enqueue(json(201, resource(SID, "hello")));
        try (TwilioAccount account = open()) {
            ContentResource r = account.content().create(CREATE);
            assertEquals(ContentSid.of(SID), r.sid());
            assertEquals("hello", r.friendlyName());
        }
        RecordedRequest req = server.takeRequest();
        assertEquals("POST", req.getMethod());
        assertEquals("/v1/Content", req.getUrl().encodedPath());
        assertEquals("application/json", req.getHeaders().get("Content-Type"));
        assertEquals(basic(), req.getHeaders().get("Authorization"));
        assertEquals(CREATE, req.getBody().utf8());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void listFollowsNextPageUrlsOnTheBaseUrlAndRetriesA5xx() throws Exception {
        String second = "HXfedcba9876543210fedcba9876543210";
        server.enqueue(json(200, page("https://content.twilio.com/v1/Content?PageSize=500&Page=1&PageToken=PT1",
                resource(SID, "a"))));
        server.enqueue(TwilioJson.error(503, 20500, "Service Unavailable"));
        server.enqueue(json(200, page(null, resource(second, "b"))));
        try (TwilioAccount account = open()) {
            List<ContentResource> all = account.content().list();
            assertEquals(List.of("a", "b"), all.stream().map(ContentResource::friendlyName).toList());
        }
        assertEquals("/v1/Content?PageSize=500", server.takeRequest().getTarget());
        assertEquals("/v1/Content?PageSize=500&Page=1&PageToken=PT1", server.takeRequest().getTarget());
        assertEquals("/v1/Content?PageSize=500&Page=1&PageToken=PT1", server.takeRequest().getTarget());
    }

    @Test
    void aNextPageElsewhereThanTwilioIsNotFollowed() {
        server.enqueue(json(200, page("https://example.com/v1/Content?Page=1", resource(SID, "a"))));
        try (TwilioAccount account = open()) {
            org.twiliochannels.core.TwilioChannelsException e = assertThrows(
                    org.twiliochannels.core.TwilioChannelsException.class, () -> account.content().list());
            assertTrue(e.getMessage().contains("next_page_url is not a Content API page at twilio.com (host example.com)"),
                    e.getMessage());
        }
        assertEquals(1, server.getRequestCount(), "credentials never sent elsewhere");
    }

    @Test
    void fetchOfAnUnknownSidIsEmpty() {
        server.enqueue(TwilioJson.error(404, 20404, "The requested resource was not found"));
        try (TwilioAccount account = open()) {
            assertEquals(Optional.empty(), account.content().fetch(ContentSid.of(SID)));
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aLostCreateAnswerIsSettledFromTheList() throws Exception {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(json(200, page(null, resource(SID, "hello"))));
        try (TwilioAccount account = open()) {
            assertEquals(ContentSid.of(SID), account.content().create(CREATE).sid());
        }
        assertEquals("POST", server.takeRequest().getMethod());
        assertEquals("GET", server.takeRequest().getMethod());
        assertEquals(2, server.getRequestCount(), "not created twice");
    }

    @Test
    void aLostCreateAnswerWithTwoCandidatesIsUnknown() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(json(200, page(null, resource(SID, "hello"), resource("HXfedcba9876543210fedcba9876543210",
                "hello"))));
        try (TwilioAccount account = open()) {
            DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class,
                    () -> account.content().create(CREATE));
            assertTrue(e.getMessage().contains("2 Content resources are named \"hello\" (en)"), e.getMessage());
        }
    }

    @Test
    void theApprovalRequestAndItsStatus() throws Exception {
        server.enqueue(json(201, "{\"name\":\"hello\",\"category\":\"UTILITY\",\"status\":\"received\","
                + "\"rejection_reason\":\"\"}"));
        server.enqueue(json(200, "{\"sid\":\"" + SID + "\",\"whatsapp\":{\"type\":\"whatsapp\",\"name\":\"hello\","
                + "\"category\":\"UTILITY\",\"status\":\"rejected\",\"rejection_reason\":\"INVALID_FORMAT\"}}"));
        try (TwilioAccount account = open()) {
            WhatsAppApproval sent = account.content().requestWhatsAppApproval(ContentSid.of(SID), "hello", "UTILITY");
            assertEquals(ApprovalStatus.RECEIVED, sent.status());
            assertEquals(Optional.empty(), sent.rejectionReason());
            WhatsAppApproval now = account.content().whatsAppApproval(ContentSid.of(SID));
            assertEquals("rejected (INVALID_FORMAT)", now.describe());
        }
        RecordedRequest post = server.takeRequest();
        assertEquals("/v1/Content/" + SID + "/ApprovalRequests/whatsapp", post.getUrl().encodedPath());
        assertEquals("{\"name\":\"hello\",\"category\":\"UTILITY\"}", post.getBody().utf8());
        assertEquals("/v1/Content/" + SID + "/ApprovalRequests", server.takeRequest().getUrl().encodedPath());
    }

    @Test
    void aRefusedApprovalRequestIsRejectedOnce() {
        server.enqueue(TwilioJson.error(400, 20001, "Invalid category"));
        try (TwilioAccount account = open()) {
            TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                    () -> account.content().requestWhatsAppApproval(ContentSid.of(SID), "hello", "UTILITY"));
            assertEquals(400, e.error().httpStatus());
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() throws Exception {
        try (TwilioAccount account = open()) {
            ContentApi content = account.content();
            assertEquals("name: \"Hello World\" is not a WhatsApp template name; use lower-case letters, digits and"
                    + " underscores (at most 512), e.g. appointment_confirmation.", assertThrows(
                            IllegalArgumentException.class, () -> content.requestWhatsAppApproval(ContentSid.of(SID),
                                    "Hello World", "UTILITY")).getMessage());
            assertEquals("category: \"PROMO\" is not a WhatsApp template category; give one of UTILITY, MARKETING,"
                    + " AUTHENTICATION.", assertThrows(IllegalArgumentException.class,
                            () -> content.requestWhatsAppApproval(ContentSid.of(SID), "hello", "PROMO")).getMessage());
            assertEquals("createRequestJson: has no friendly_name or language; a Content resource is found again by"
                    + " both, so give both.", assertThrows(IllegalArgumentException.class,
                            () -> content.create("{\"types\":{}}")).getMessage());
        }
        assertNull(server.takeRequest(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aClosedAccountRefuses() {
        TwilioAccount account = open();
        ContentApi content = account.content();
        account.close();
        assertThrows(ClientClosedException.class, content::list);
        assertEquals(0, server.getRequestCount());
    }
}
