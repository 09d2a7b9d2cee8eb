package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentState;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;

/**
 * The router in plain Java behind a real HTTP endpoint on loopback (the JDK's server, as the
 * examples' webhook server): Twilio's signed form posts in, the router's TwiML out with status 200,
 * whatever the handlers do; 403 only for a request Twilio did not sign.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InboundRouterHttpTest {
    private final ConsentLedger ledger = ConsentLedger.inMemory();
    private final WebhookVerifier verifier = Webhooks.verifier().publicBaseUrl(URI.create("https://example.com")).build();
    private final InboundRouter router = InboundRouter.builder(ledger)
            .keyword("YES", event -> InboundReply.message("Confirmed"))
            .fallback(event -> {
                throw new IllegalStateException("the booking service is down");
            })
            .build();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/twilio/sms", this::inbound);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** What an application's endpoint does: verify, route, answer. */
    private void inbound(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String url = "http://127.0.0.1" + exchange.getRequestURI();
        int status;
        String answer;
        try {
            answer = router.route(verifier.verify(WebhookRequest.ofFormBody(url, body,
                    exchange.getRequestHeaders().getFirst("X-Twilio-Signature")))).twiml();
            status = 200;
        } catch (WebhookRejectedException e) {
            answer = "rejected: " + e.reason();
            status = 403;
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status == 200 ? "text/xml" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private HttpResponse<String> post(Map<String, String> params, String signature) throws Exception {
        URI local = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/twilio/sms?tenant=42");
        HttpRequest request = HttpRequest.newBuilder(local)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(Webhooks.formBody(params))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postSigned(Map<String, String> params) throws Exception {
        return post(params, Webhooks.sdkSignature(Webhooks.URL, params));
    }

    @Test
    void answersEachMessageWithTheRoutersTwimlAndStatus200() throws Exception {
        Map<String, String> yes = Webhooks.smsInbound("Yes!");
        HttpResponse<String> confirmed = postSigned(yes);
        assertEquals(200, confirmed.statusCode());
        assertEquals("text/xml", confirmed.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(TwimlReply.message("Confirmed"), confirmed.body());

        Map<String, String> other = Webhooks.smsInbound("when is it?");
        other.put("MessageSid", "SM" + "1".repeat(32));
        HttpResponse<String> failed = postSigned(other);
        assertEquals(List.of(200, TwimlReply.none()), List.of(failed.statusCode(), failed.body()),
                "a handler that throws still answers 200, so Twilio does not deliver again");

        Map<String, String> stop = Webhooks.smsInbound("STOP");
        stop.put("MessageSid", "SM" + "2".repeat(32));
        assertEquals(TwimlReply.none(), postSigned(stop).body());
        assertEquals(ConsentState.OPTED_OUT, ledger.changes().get(0).state());
    }

    @Test
    void aRequestTwilioDidNotSignIsRefusedBeforeTheRouter() throws Exception {
        Map<String, String> stop = Webhooks.smsInbound("STOP");
        HttpResponse<String> forged = post(stop, "bm90IGEgc2lnbmF0dXJl");
        assertEquals(403, forged.statusCode());
        assertEquals(List.of(), ledger.changes(), "nothing recorded for a forged STOP");
    }
}
