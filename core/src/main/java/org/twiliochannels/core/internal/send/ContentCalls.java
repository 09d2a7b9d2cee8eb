package org.twiliochannels.core.internal.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.content.ContentApi;
import org.twiliochannels.core.content.ContentResource;
import org.twiliochannels.core.content.WhatsAppApproval;
import org.twiliochannels.core.internal.twilio.TwilioApi;

/**
 * The Content API of one account on its {@link TwilioApi} and {@link RequestRunner}: reads retried
 * as reads, a create settled from the list of Content resources, an approval request retried only
 * when it surely did not reach Twilio. Parses Twilio's JSON; a 2xx it cannot read fails as
 * unreadable. Not API.
 */
final class ContentCalls implements ContentApi {
    static final String CHANNEL = "content";
    /** Twilio's largest page of Content resources. */
    static final int PAGE_SIZE = 500;
    /** A bound on pages followed, so that a broken {@code next_page_url} cannot loop forever. */
    static final int MAX_PAGES = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
    private static final List<String> CATEGORIES = List.of("UTILITY", "MARKETING", "AUTHENTICATION");

    private final TwilioApi api;
    private final RequestRunner runner;
    private final Runnable ensureOpen;

    ContentCalls(TwilioApi api, RequestRunner runner, Runnable ensureOpen) {
        this.api = api;
        this.runner = runner;
        this.ensureOpen = ensureOpen;
    }

    @Override
    public List<ContentResource> list() {
        ensureOpen.run();
        return listUntil(null);
    }

    /** Every resource, each page a read ending by {@code endNanos} when given (a settle's deadline). */
    private List<ContentResource> listUntil(Long endNanos) {
        List<ContentResource> out = new ArrayList<>();
        String next = "/v1/Content?PageSize=" + PAGE_SIZE;
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw new org.twiliochannels.core.TwilioChannelsException("the Content API's list did not end after "
                        + MAX_PAGES + " pages; Twilio's next_page_url keeps pointing on");
            }
            String url = next;
            // Parsed inside the attempt, so that an unreadable page is the runner's failure, not an internal type.
            LongFunction<Page> call = end -> {
                JsonNode body = parse(api.contentGet(url, end), "a list of Content resources");
                if (!body.path("contents").isArray()) {
                    throw unreadable("a list of Content resources without \"contents\"");
                }
                List<ContentResource> resources = new ArrayList<>();
                for (JsonNode c : body.path("contents")) {
                    resources.add(resource(c));
                }
                JsonNode n = body.path("meta").path("next_page_url");
                return new Page(resources, n.isTextual() && !n.textValue().isBlank() ? twilioPage(n.textValue()) : null);
            };
            Page p = endNanos == null
                    ? runner.read(CHANNEL, () -> "list", call, Page::describe)
                    : runner.readUntil(endNanos, CHANNEL, () -> "list", call, Page::describe);
            out.addAll(p.resources());
            next = p.next();
        }
        return List.copyOf(out);
    }

    /** One page of the list: its resources and the next page's URL, null after the last. */
    private record Page(List<ContentResource> resources, String next) {
        String describe() {
            return resources.size() + " resource(s)";
        }
    }

    /**
     * A next-page URL only on Twilio's own host ({@code https://…twilio.com/v1/Content…}): the
     * account's credentials go with the request, so a page elsewhere is not followed.
     */
    private static String twilioPage(String url) {
        java.net.URI u;
        try {
            u = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw unreadable("a list whose next_page_url is not a URL");
        }
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(java.util.Locale.ROOT);
        if (!"https".equals(u.getScheme()) || !(host.equals("content.twilio.com") || host.endsWith(".twilio.com"))
                || u.getRawUserInfo() != null || !u.getRawPath().startsWith("/v1/Content")) {
            throw unreadable("a list whose next_page_url is not a Content API page at twilio.com (host " + host + ")");
        }
        return url;
    }

    @Override
    public Optional<ContentResource> fetch(ContentSid sid) {
        Objects.requireNonNull(sid, "sid");
        ensureOpen.run();
        try {
            return Optional.of(runner.read(CHANNEL, sid::value,
                    end -> resource(parse(api.contentGet("/v1/Content/" + sid.value(), end), "a Content resource")),
                    ContentResource::toString));
        } catch (TwilioRejectedException e) {
            if (e.error().httpStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public ContentResource create(String createRequestJson) {
        Objects.requireNonNull(createRequestJson, "createRequestJson");
        JsonNode body;
        try {
            body = JSON.readTree(createRequestJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("createRequestJson: is not JSON (" + e.getOriginalMessage()
                    + "); give a ContentCreateRequest body, e.g. ContentTemplate.createRequestJson().", e);
        }
        String name = body == null ? "" : body.path("friendly_name").asText("");
        String language = body == null ? "" : body.path("language").asText("");
        if (name.isBlank() || language.isBlank()) {
            throw new IllegalArgumentException("createRequestJson: has no friendly_name or language; a Content"
                    + " resource is found again by both, so give both.");
        }
        ensureOpen.run();
        RequestRunner.Settler<ContentResource> settler = (notBefore, notAfter, end) -> {
            List<ContentResource> found;
            try {
                found = listUntil(end).stream().filter(r -> r.is(name, language)).toList();
            } catch (RuntimeException e) {
                return new RequestRunner.Settled.Unknown<>("the list of Content resources could not be read ("
                        + e.getMessage() + ")", List.of());
            }
            if (found.size() == 1) {
                return new RequestRunner.Settled.Found<>(found.get(0));
            }
            return found.isEmpty() ? new RequestRunner.Settled.Absent<>()
                    : new RequestRunner.Settled.Unknown<>(found.size() + " Content resources are named \"" + name
                            + "\" (" + language + "): " + found.stream().map(r -> r.sid().value()).toList(), List.of());
        };
        return runner.run(CHANNEL, () -> name + " (" + language + ")", false,
                end -> resource(parse(api.contentPost("/v1/Content", createRequestJson, end), "a Content resource")),
                ContentResource::toString, RequestRunner.NONE, settler).value();
    }

    @Override
    public WhatsAppApproval requestWhatsAppApproval(ContentSid sid, String name, String category) {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        if (!TEMPLATE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: \"" + name + "\" is not a WhatsApp template name; use lower-case"
                    + " letters, digits and underscores (at most 512), e.g. appointment_confirmation.");
        }
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("category: \"" + category + "\" is not a WhatsApp template category;"
                    + " give one of " + String.join(", ", CATEGORIES) + ".");
        }
        ensureOpen.run();
        String body = JSON.createObjectNode().put("name", name).put("category", category).toString();
        // Not idempotent for the runner: a lost answer is not retried blindly; the caller reads the status.
        return runner.run(CHANNEL, sid::value, false, end -> approval(sid, parse(api.contentPost(
                "/v1/Content/" + sid.value() + "/ApprovalRequests/whatsapp", body, end), "an approval request")),
                WhatsAppApproval::describe, RequestRunner.NONE, null).value();
    }

    @Override
    public WhatsAppApproval whatsAppApproval(ContentSid sid) {
        Objects.requireNonNull(sid, "sid");
        ensureOpen.run();
        return runner.read(CHANNEL, sid::value, end -> {
            JsonNode body = parse(api.contentGet("/v1/Content/" + sid.value() + "/ApprovalRequests", end),
                    "an approval status");
            JsonNode whatsapp = body.path("whatsapp");
            return whatsapp.isObject() ? approval(sid, whatsapp)
                    : new WhatsAppApproval(sid, Optional.empty(), Optional.empty(), ApprovalStatus.UNSUBMITTED,
                            Optional.empty());
        }, WhatsAppApproval::describe);
    }

    private static WhatsAppApproval approval(ContentSid sid, JsonNode n) {
        JsonNode status = n.path("status");
        return new WhatsAppApproval(sid, text(n, "name"), text(n, "category"),
                status.isTextual() ? ApprovalStatus.fromTwilio(status.textValue()) : ApprovalStatus.UNSUBMITTED,
                text(n, "rejection_reason"));
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.textValue().isBlank() ? Optional.of(v.textValue()) : Optional.empty();
    }

    private static ContentResource resource(JsonNode n) {
        Optional<ContentSid> sid = n.path("sid").isTextual() ? ContentSid.parse(n.path("sid").textValue())
                : Optional.empty();
        if (sid.isEmpty()) {
            throw unreadable("a Content resource without a usable sid");
        }
        return new ContentResource(sid.get(), n.path("friendly_name").asText(""), n.path("language").asText(""),
                n.toString());
    }

    private static JsonNode parse(String text, String what) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw unreadable(what + " that is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw unreadable(what + " that is not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static RuntimeException unreadable(String what) {
        return TwilioApi.unreadable(what);
    }
}
