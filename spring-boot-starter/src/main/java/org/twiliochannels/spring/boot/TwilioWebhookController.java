package org.twiliochannels.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.TwimlReply;
import org.twiliochannels.core.webhook.WebhookRejectedException;
import org.twiliochannels.core.webhook.WebhookRequest;

/**
 * {@code POST {twilio.webhooks.path}/inbound} and {@code …/status}: verifies the signature against
 * the URL as received (after forwarded headers, when the application trusts them, and mapped onto
 * {@code twilio.webhooks.public-base-url} when set), answers 403 to a bad or missing one, drops
 * repeated deliveries, publishes the {@link InboundMessage} or
 * {@link org.twiliochannels.core.webhook.StatusCallback} as an application event, and answers an
 * inbound message with the {@link InboundMessageHandler}'s TwiML or {@code <Response/>}.
 */
@RestController
@RequestMapping("${twilio.webhooks.path:/twilio}")
class TwilioWebhookController {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");
    private static final MediaType XML = MediaType.TEXT_XML;

    private final WebhookGate gate;
    private final RecentDeliveries recent;
    private final ApplicationEventPublisher events;
    private final Optional<InboundMessageHandler> handler;

    TwilioWebhookController(WebhookGate gate, RecentDeliveries recent, ApplicationEventPublisher events,
                            Optional<InboundMessageHandler> handler) {
        this.gate = gate;
        this.recent = recent;
        this.events = events;
        this.handler = handler;
    }

    @PostMapping("/inbound")
    ResponseEntity<String> inbound(HttpServletRequest request) {
        return handle("inbound", request);
    }

    @PostMapping("/status")
    ResponseEntity<String> status(HttpServletRequest request) {
        return handle("status", request);
    }

    private ResponseEntity<String> handle(String endpoint, HttpServletRequest request) {
        TwilioWebhook webhook;
        try {
            webhook = gate.verify(WebhookRequest.ofForm(receivedUrl(request), bodyParameters(request),
                    request.getHeader("X-Twilio-Signature")));
        } catch (WebhookRejectedException e) {
            LOG.warn("webhook {} rejected ({}): {}", request.getRequestURI(), e.reason(), e.getMessage());
            return ResponseEntity.status(403).contentType(MediaType.TEXT_PLAIN).body("rejected: " + e.reason());
        }
        String key = webhook.deduplicationKey();
        Optional<String> earlier = recent.claim(key);
        if (earlier.isPresent()) {
            LOG.debug("webhook {} delivered again: not published", key);
            return ResponseEntity.ok().contentType(XML).body(earlier.get().isEmpty() ? TwimlReply.none() : earlier.get());
        }
        try {
            events.publishEvent(webhook);
            String answer = webhook instanceof InboundMessage m && handler.isPresent()
                    ? handler.get().reply(m).orElseGet(TwimlReply::none) : TwimlReply.none();
            recent.answered(key, answer);
            return ResponseEntity.ok().contentType(XML).body(answer);
        } catch (RuntimeException e) {
            recent.forget(key);
            throw e;
        }
    }

    /** The URL as received, with its query: what Twilio signed, unless a proxy changed it. */
    static String receivedUrl(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURL() + (query == null ? "" : "?" + query);
    }

    /**
     * The form parameters of the body: the Servlet merges query and body parameters, query values
     * first, and Twilio signs the URL (query included) and the body parameters apart.
     */
    static Map<String, List<String>> bodyParameters(HttpServletRequest request) {
        Map<String, Integer> inQuery = new HashMap<>();
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                inQuery.merge(name, 1, Integer::sum);
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            int skip = inQuery.getOrDefault(name, 0);
            if (values.length > skip) {
                out.put(name, new ArrayList<>(List.of(values).subList(skip, values.length)));
            }
        });
        return out;
    }
}
