package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.content.ContentApi;

/** The fake's Content API: paging, approval statuses the test moves, what it refuses. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ContentApiFakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeTwilio twilio = FakeTwilio.start();
    private final TwilioAccount account = TwilioAccount.open(twilio.config().build());
    private final ContentApi content = account.content();

    @AfterEach
    void stop() {
        account.close();
        twilio.close();
    }

    private static String body(String name) {
        return "{\"friendly_name\":\"" + name + "\",\"language\":\"en\",\"types\":{\"twilio/text\":{\"body\":\"Hi.\"}}}";
    }

    private JsonNode get(String pathAndQuery, String authorization) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(twilio.baseUrl()
                + pathAndQuery)).header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
        return ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(r.body())).put("http_status", r.statusCode());
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((twilio.accountSid().value() + ":"
                + twilio.authToken().revealSecret()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listsInPagesWithNextPageUrlsOnTwiliosHost() throws Exception {
        for (String n : List.of("a", "b", "c")) {
            content.create(body(n));
        }
        JsonNode first = get("/v1/Content?PageSize=2", basic());
        assertEquals(2, first.path("contents").size());
        String next = first.path("meta").path("next_page_url").asText();
        assertEquals("https://content.twilio.com/v1/Content?PageSize=2&Page=1", next);
        JsonNode second = get(next.substring("https://content.twilio.com".length()), basic());
        assertEquals("c", second.path("contents").get(0).path("friendly_name").asText());
        assertTrue(second.path("meta").path("next_page_url").isNull());
        assertEquals(List.of("a", "b", "c"), content.list().stream().map(r -> r.friendlyName()).toList());
    }

    @Test
    void approvalMovesAsTheTestSaysAndASecondRequestWhilePendingIsRefused() {
        ContentSid sid = content.create(body("hello")).sid();
        assertEquals(ApprovalStatus.UNSUBMITTED, content.whatsAppApproval(sid).status());
        assertEquals(ApprovalStatus.RECEIVED, content.requestWhatsAppApproval(sid, "hello", "UTILITY").status());
        TwilioRejectedException again = assertThrows(TwilioRejectedException.class,
                () -> content.requestWhatsAppApproval(sid, "hello", "UTILITY"));
        assertEquals(400, again.error().httpStatus());
        twilio.rejectTemplate(sid, "INVALID_FORMAT");
        assertEquals("rejected (INVALID_FORMAT)", content.whatsAppApproval(sid).describe());
        assertEquals(ApprovalStatus.RECEIVED, content.requestWhatsAppApproval(sid, "hello", "UTILITY").status(),
                "a rejected template may be submitted again");
        twilio.templateStatus(sid, ApprovalStatus.DISABLED);
        assertEquals(ApprovalStatus.DISABLED, content.whatsAppApproval(sid).status());
        assertEquals(Optional.of(sid), twilio.contentSid("hello", "en"));
    }

    @Test
    void refusesWhatTwilioRefuses() throws Exception {
        assertEquals(401, get("/v1/Content", "Basic bm90OnRoaXM=").path("http_status").asInt());
        assertEquals(404, get("/v1/Content/HX0123456789abcdef0123456789abcdef", basic()).path("http_status").asInt());
        assertEquals(Optional.empty(), content.fetch(ContentSid.of("HX0123456789abcdef0123456789abcdef")));
        TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                () -> content.create("{\"friendly_name\":\"x\",\"language\":\"en\"}"));
        assertEquals(400, e.error().httpStatus());
        IllegalArgumentException status = assertThrows(IllegalArgumentException.class,
                () -> twilio.templateStatus(ContentSid.of("HX0123456789abcdef0123456789abcdef"), ApprovalStatus.APPROVED));
        assertEquals("no Content resource HX0123456789abcdef0123456789abcdef was created in this fake",
                status.getMessage());
    }
}
