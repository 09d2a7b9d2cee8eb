package org.twiliochannels.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.testing.Endpoints.Answer;
import org.twiliochannels.testing.JsonShapes.ApiError;

/**
 * The Content API ({@code content.twilio.com/v1}) as Twilio serves it: create, fetch, list (paged
 * with {@code meta.next_page_url}), the WhatsApp approval request and its status, in the shapes of
 * Twilio's OpenAPI description; the approval status is what the test sets.
 */
final class ContentEndpoints {
    static final Pattern CONTENT = Pattern.compile("/v1/Content/([^/]+)");
    static final Pattern APPROVAL_CREATE = Pattern.compile("/v1/Content/([^/]+)/ApprovalRequests/whatsapp");
    static final Pattern APPROVAL_FETCH = Pattern.compile("/v1/Content/([^/]+)/ApprovalRequests");
    private static final String HOST = "https://content.twilio.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CREATE_FIELDS = List.of("friendly_name", "language", "variables", "types");

    private final AccountState account;
    private final ContentStore store;
    private final Clock clock;
    private final Deque<Fault> createFaults = new ArrayDeque<>();

    ContentEndpoints(AccountState account, ContentStore store, Clock clock) {
        this.account = account;
        this.store = store;
        this.clock = clock;
    }

    synchronized void failNextCreates(Fault... faults) {
        createFaults.addAll(List.of(faults));
    }

    private synchronized Optional<Fault> nextCreateFault() {
        return Optional.ofNullable(createFaults.poll());
    }

    /** Routes one Content API request. */
    Answer route(String method, String path, String query, String body) {
        Matcher m;
        if (path.equals("/v1/Content")) {
            return "POST".equals(method) ? create(body) : "GET".equals(method) ? list(query) : Endpoints.notFound(path);
        }
        if ((m = APPROVAL_CREATE.matcher(path)).matches() && "POST".equals(method)) {
            return approvalCreate(path, m.group(1), body);
        }
        if ((m = APPROVAL_FETCH.matcher(path)).matches() && "GET".equals(method)) {
            return entry(m.group(1)).map(e -> ok(approvalFetch(e))).orElseGet(() -> Endpoints.notFound(path));
        }
        if ((m = CONTENT.matcher(path)).matches() && "GET".equals(method)) {
            return entry(m.group(1)).map(e -> ok(resource(e))).orElseGet(() -> Endpoints.notFound(path));
        }
        return Endpoints.notFound(path);
    }

    private Answer create(String text) {
        Optional<Fault> fault = nextCreateFault();
        if (fault.isPresent() && !fault.get().processes()) {
            return Endpoints.played(fault.get(), new MockResponse.Builder(), 0, 201, Optional.empty());
        }
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (java.io.IOException e) {
            return Answer.of(new ApiError(400, 20001, "Invalid JSON body"));
        }
        if (body == null || !body.isObject()) {
            return Answer.of(new ApiError(400, 20001, "Invalid JSON body"));
        }
        for (String required : List.of("friendly_name", "language", "types")) {
            if (!body.hasNonNull(required)) {
                return Answer.of(new ApiError(400, 20001, "Missing required parameter " + required
                        + " in the post body"));
            }
        }
        ObjectNode kept = JSON.createObjectNode();
        CREATE_FIELDS.forEach(f -> {
            if (body.has(f)) {
                kept.set(f, body.get(f));
            }
        });
        if (!kept.has("variables")) {
            kept.putObject("variables");
        }
        Instant now = clock.instant();
        ContentStore.Entry e = store.add(new ContentStore.Entry(ContentSid.of("HX" + account.hex(16)), kept, now, now,
                Optional.empty(), Optional.empty(), ApprovalStatus.UNSUBMITTED, ""));
        MockResponse.Builder normal = JsonShapes.json(201, resource(e));
        return fault.isPresent() ? Endpoints.played(fault.get(), normal, 201, 201, Optional.empty())
                : Answer.ok(normal, 201);
    }

    private Answer list(String query) {
        FormBody q = FormBody.parse(query == null ? "" : query);
        int size;
        int page;
        try {
            size = Integer.parseInt(q.first("PageSize").orElse("50"));
            page = Integer.parseInt(q.first("Page").orElse("0"));
        } catch (NumberFormatException e) {
            return Answer.of(new ApiError(400, 20001, "Invalid paging parameters"));
        }
        if (size < 1 || size > 500 || page < 0) {
            return Answer.of(new ApiError(400, 20001, "PageSize must be 1 to 500 and Page not negative"));
        }
        List<ContentStore.Entry> all = store.all();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode contents = out.putArray("contents");
        all.stream().skip((long) page * size).limit(size).forEach(e -> contents.add(resource(e)));
        boolean more = (long) (page + 1) * size < all.size();
        ObjectNode meta = out.putObject("meta");
        meta.put("page", page);
        meta.put("page_size", size);
        meta.put("first_page_url", HOST + "/v1/Content?PageSize=" + size + "&Page=0");
        if (page > 0) {
            meta.put("previous_page_url", HOST + "/v1/Content?PageSize=" + size + "&Page=" + (page - 1));
        } else {
            meta.putNull("previous_page_url");
        }
        meta.put("url", HOST + "/v1/Content?PageSize=" + size + "&Page=" + page);
        if (more) {
            meta.put("next_page_url", HOST + "/v1/Content?PageSize=" + size + "&Page=" + (page + 1));
        } else {
            meta.putNull("next_page_url");
        }
        meta.put("key", "contents");
        return ok(out);
    }

    private Answer approvalCreate(String path, String sid, String text) {
        Optional<ContentStore.Entry> e = entry(sid);
        if (e.isEmpty()) {
            return Endpoints.notFound(path);
        }
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (java.io.IOException ex) {
            return Answer.of(new ApiError(400, 20001, "Invalid JSON body"));
        }
        if (body == null || !body.path("name").isTextual() || !body.path("category").isTextual()) {
            return Answer.of(new ApiError(400, 20001, "Missing required parameters name and category"));
        }
        if (e.get().status() != ApprovalStatus.UNSUBMITTED && e.get().status() != ApprovalStatus.REJECTED) {
            return Answer.of(new ApiError(400, 20001, "An approval request for this content was already submitted"
                    + " (status " + e.get().status().twilioName() + ")"));
        }
        Instant now = clock.instant();
        ContentStore.Entry updated = store.update(e.get().sid(), old -> new ContentStore.Entry(old.sid(), old.body(),
                old.created(), now, Optional.of(body.get("name").textValue()),
                Optional.of(body.get("category").textValue()), ApprovalStatus.RECEIVED, "")).orElseThrow();
        ObjectNode out = approval(updated);
        return new Answer(JsonShapes.json(201, out), 201, Optional.empty(), Optional.empty());
    }

    private Optional<ContentStore.Entry> entry(String sid) {
        return ContentSid.parse(sid).flatMap(store::get);
    }

    private static Answer ok(ObjectNode body) {
        return Answer.ok(JsonShapes.json(200, body), 200);
    }

    private ObjectNode resource(ContentStore.Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sid", e.sid().value());
        n.put("account_sid", account.accountSid.value());
        n.put("friendly_name", e.friendlyName());
        n.put("language", e.language());
        n.set("variables", e.body().path("variables").deepCopy());
        n.set("types", e.body().path("types").deepCopy());
        n.put("url", HOST + "/v1/Content/" + e.sid().value());
        n.put("date_created", DateTimeFormatter.ISO_INSTANT.format(e.created()));
        n.put("date_updated", DateTimeFormatter.ISO_INSTANT.format(e.updated()));
        ObjectNode links = n.putObject("links");
        links.put("approval_create", HOST + "/v1/Content/" + e.sid().value() + "/ApprovalRequests/whatsapp");
        links.put("approval_fetch", HOST + "/v1/Content/" + e.sid().value() + "/ApprovalRequests");
        return n;
    }

    private static ObjectNode approval(ContentStore.Entry e) {
        ObjectNode w = JSON.createObjectNode();
        w.put("name", e.name().orElse(null));
        w.put("category", e.category().orElse(null));
        w.put("content_type", e.body().path("types").fieldNames().hasNext()
                ? e.body().path("types").fieldNames().next() : null);
        w.put("status", e.status().twilioName());
        w.put("rejection_reason", e.reason());
        w.put("allow_category_change", true);
        return w;
    }

    private ObjectNode approvalFetch(ContentStore.Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sid", e.sid().value());
        n.put("account_sid", account.accountSid.value());
        ObjectNode w = approval(e);
        w.put("type", "whatsapp");
        n.set("whatsapp", w);
        n.put("url", HOST + "/v1/Content/" + e.sid().value() + "/ApprovalRequests");
        return n;
    }
}
