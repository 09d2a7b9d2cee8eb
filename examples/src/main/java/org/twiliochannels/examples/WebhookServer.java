package org.twiliochannels.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.settings.TwilioEnvironment;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.TwimlReply;
import org.twiliochannels.core.webhook.WebhookRejectedException;
import org.twiliochannels.core.webhook.WebhookRequest;
import org.twiliochannels.core.webhook.WebhookVerifier;

/**
 * Receives Twilio webhooks with nothing but the JDK's {@code com.sun.net.httpserver}:
 * {@code POST /twilio/inbound} for messages people send you (answered with TwiML) and
 * {@code POST /twilio/status} for delivery updates (answered 204). Every request is verified;
 * one that fails gets 403. Events Twilio delivers twice are handed on once.
 *
 * <p>Run: {@code java -cp examples/target/twilio-channels-cli.jar org.twiliochannels.examples.WebhookServer [port]}
 * with {@code TWILIO_ACCOUNT_SID} and {@code TWILIO_AUTH_TOKEN} set, and {@code PUBLIC_BASE_URL} set to
 * the URL Twilio calls when the server is behind a tunnel, proxy or load balancer.
 */
public final class WebhookServer implements AutoCloseable {
    private static final int SEEN_CAPACITY = 10_000;

    private final HttpServer server;
    private final WebhookVerifier verifier;
    private final Consumer<TwilioWebhook> onEvent;
    private final Set<String> seen = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<String, Boolean>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > SEEN_CAPACITY;
                }
            }));

    private WebhookServer(HttpServer server, WebhookVerifier verifier, Consumer<TwilioWebhook> onEvent) {
        this.server = server;
        this.verifier = verifier;
        this.onEvent = onEvent;
        server.createContext("/twilio/inbound", exchange -> handle(exchange, true));
        server.createContext("/twilio/status", exchange -> handle(exchange, false));
    }

    /** Starts a server on {@code address} that hands each verified, first-seen event to {@code onEvent}. */
    public static WebhookServer start(InetSocketAddress address, WebhookVerifier verifier, Consumer<TwilioWebhook> onEvent)
            throws IOException {
        // Without this the JDK server holds each keep-alive answer back for about 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        WebhookServer s = new WebhookServer(HttpServer.create(address, 0), verifier, onEvent);
        s.server.start();
        return s;
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8080}. */
    public URI baseUrl() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
    }

    private void handle(HttpExchange exchange, boolean inbound) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "POST only");
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            String received = baseUrl() + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            TwilioWebhook event;
            try {
                event = verifier.verify(WebhookRequest.ofFormBody(received, body,
                        exchange.getRequestHeaders().getFirst("X-Twilio-Signature")));
            } catch (WebhookRejectedException e) {
                System.err.println("rejected webhook (" + e.reason() + "): " + e.getMessage());
                send(exchange, 403, "text/plain", "forbidden");
                return;
            }
            if (seen.add(event.deduplicationKey())) {
                onEvent.accept(event);
            }
            if (inbound && event instanceof InboundMessage m) {
                boolean keyword = m.keyword().isPresent(); // Twilio answers STOP/START/HELP itself
                send(exchange, 200, "text/xml", keyword ? TwimlReply.none() : TwimlReply.message("Thanks, we got your message."));
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Runs the server until stopped. */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        TwilioEnvironment env = TwilioEnvironment.builder().read();
        java.util.Optional<AuthToken> token = env.authToken();
        java.util.Optional<AccountSid> account = env.setting(TwilioEnvironment.ACCOUNT_SID)
                .flatMap(s -> AccountSid.parse(s.display()));
        if (account.isEmpty() || token.isEmpty()) {
            System.err.println("Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (environment or .env): Twilio signs"
                    + " webhooks with the auth token, and only this account's webhooks are accepted. Run 'doctor' to"
                    + " check them.");
            System.exit(2);
            return;
        }
        WebhookVerifier.Builder verifier = WebhookVerifier.builder(account.get(), token.get());
        String publicUrl = System.getenv("PUBLIC_BASE_URL");
        if (publicUrl != null && !publicUrl.isBlank()) {
            verifier.publicBaseUrl(URI.create(publicUrl));
        }
        WebhookServer s = start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), verifier.build(),
                event -> System.out.println("received " + event));
        System.out.println("Listening on " + s.baseUrl() + "/twilio/inbound and /twilio/status");
    }
}
