package org.twiliochannels.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import mockwebserver3.MockResponse;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.SegmentCount;
import org.twiliochannels.testing.JsonShapes.ApiError;

/**
 * What each resource does: message create (Twilio's rules, then the store, with the fault planned
 * for it), fetch, update (cancel), list (filters and pages), the account and its phone numbers.
 */
final class Endpoints {
    private final AccountState account;
    private final TwilioRules rules;
    private final MessageStore store;
    private final FaultPlan faults;
    private final Clock clock;

    Endpoints(AccountState account, TwilioRules rules, MessageStore store, FaultPlan faults, Clock clock) {
        this.account = account;
        this.rules = rules;
        this.store = store;
        this.faults = faults;
        this.clock = clock;
    }

    /**
     * An answer, with what the request log records about it.
     *
     * @param response the answer to write
     * @param status   its HTTP status, 0 for a closed connection
     * @param fault    the fault played
     * @param created  the message created
     */
    record Answer(MockResponse.Builder response, int status, Optional<Fault> fault, Optional<MessageSid> created) {
        static Answer of(ApiError e) {
            return new Answer(JsonShapes.error(e), e.status(), Optional.empty(), Optional.empty());
        }

        static Answer ok(MockResponse.Builder response, int status) {
            return new Answer(response, status, Optional.empty(), Optional.empty());
        }
    }

    static Answer notFound(String path) {
        return Answer.of(new ApiError(404, 20404, "The requested resource " + path + " was not found"));
    }

    Answer create(FormBody form) {
        Optional<Fault> fault = faults.forCreate(form.first("To").orElse(""));
        if (fault.isPresent() && !fault.get().processes()) {
            return played(fault.get(), new MockResponse.Builder(), 0, 201, Optional.empty());
        }
        Optional<ApiError> refused = rules.check(form);
        Optional<StoredMessage> stored = refused.isEmpty() ? Optional.of(store(form)) : Optional.empty();
        MockResponse.Builder normal = refused.map(JsonShapes::error)
                .orElseGet(() -> JsonShapes.json(201, JsonShapes.message(account.accountSid, stored.orElseThrow())));
        int status = refused.map(ApiError::status).orElse(201);
        Optional<MessageSid> created = stored.map(StoredMessage::sid);
        return fault.isPresent() ? played(fault.get(), normal, status, 201, created)
                : new Answer(normal, status, Optional.empty(), created);
    }

    static Answer played(Fault fault, MockResponse.Builder normal, int normalStatus, int successStatus,
                                 Optional<MessageSid> created) {
        int status = switch (fault.kind) {
            case RATE_LIMITED -> 429;
            case SERVER_ERROR, SERVER_ERROR_AFTER_CREATE, HTML_ERROR, REDIRECT -> fault.status;
            case DISCONNECT_AFTER_REQUEST, DISCONNECT_AFTER_CREATE -> 0;
            case DELAY -> normalStatus;
            case MALFORMED_SUCCESS -> successStatus;
        };
        return new Answer(JsonShapes.faulty(fault, normal, successStatus), status, Optional.of(fault), created);
    }

    private StoredMessage store(FormBody form) {
        Instant now = clock.instant();
        String to = form.first("To").orElseThrow();
        Optional<String> service = form.first("MessagingServiceSid");
        String body = form.first("Body").orElse("");
        int segments = TwilioRules.channelOf(to).equals("sms") ? SegmentCount.of(body).segments() : 1;
        MessageStatus status = form.first("ScheduleType").isPresent() ? MessageStatus.SCHEDULED
                : service.isPresent() ? MessageStatus.ACCEPTED : MessageStatus.QUEUED;
        MessageSid sid = MessageSid.of("SM" + account.hex(16));
        return store.add(seq -> new StoredMessage(sid, seq, to, form.first("From"), service, body,
                form.all("MediaUrl").size(), segments, status, OptionalInt.empty(), now, Optional.empty(), now,
                Optional.of(form)));
    }

    Answer fetch(String path, String sid) {
        return sid(sid).flatMap(store::get)
                .map(m -> Answer.ok(JsonShapes.json(200, JsonShapes.message(account.accountSid, m)), 200))
                .orElseGet(() -> notFound(path));
    }

    Answer update(String path, String sid, FormBody form) {
        Optional<StoredMessage> message = sid(sid).flatMap(store::get);
        if (message.isEmpty()) {
            return notFound(path);
        }
        Optional<String> status = form.first("Status");
        if (status.isPresent()) {
            if (!"canceled".equals(status.get()) || message.get().status() != MessageStatus.SCHEDULED) {
                return Answer.of(new ApiError(400, 21220, "Invalid parameter: only a scheduled message can be canceled"));
            }
            Instant now = clock.instant();
            message = store.update(message.get().sid(), m -> m.status() == MessageStatus.SCHEDULED
                    ? m.moveTo(MessageStatus.CANCELED, OptionalInt.empty(), now) : m);
        }
        return Answer.ok(JsonShapes.json(200, JsonShapes.message(account.accountSid, message.orElseThrow())), 200);
    }

    private static Optional<MessageSid> sid(String text) {
        try {
            return Optional.of(MessageSid.of(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Answer list(String path, FormBody params) {
        Optional<Fault> fault = faults.forList(params.first("To"));
        if (fault.isPresent() && fault.get().kind != Fault.Kind.DELAY
                && fault.get().kind != Fault.Kind.MALFORMED_SUCCESS) {
            return played(fault.get(), new MockResponse.Builder(), 0, 200, Optional.empty());
        }
        ListQuery query;
        try {
            query = ListQuery.parse(params);
        } catch (IllegalArgumentException e) {
            return Answer.of(new ApiError(400, 20001, e.getMessage()));
        }
        MessageStore.ListPage page = store.page(query);
        ArrayNode items = JsonShapes.array();
        page.items().forEach(m -> items.add(JsonShapes.message(account.accountSid, m)));
        MockResponse.Builder normal = JsonShapes.json(200, JsonShapes.page("messages", items, path, query.filters(),
                query.pageSize, query.page, page.start(), query.pageToken, page.nextToken(), page.previousToken()));
        return fault.isPresent() ? played(fault.get(), normal, 200, 200, Optional.empty()) : Answer.ok(normal, 200);
    }

    Answer account() {
        return Answer.ok(JsonShapes.json(200, JsonShapes.account(account.accountSid,
                account.status.name().toLowerCase(Locale.ROOT), account.trial ? "Trial" : "Full",
                clock.instant())), 200);
    }

    Answer numbers(String path, FormBody params) {
        Optional<String> wanted = params.first("PhoneNumber");
        ArrayNode items = JsonShapes.array();
        account.ownedSmsNumbers.stream().sorted().filter(n -> wanted.isEmpty() || wanted.get().equals(n))
                .forEach(n -> items.add(JsonShapes.phoneNumber(account.accountSid, "PN" + account.hex(16), n)));
        return Answer.ok(JsonShapes.json(200, JsonShapes.page("incoming_phone_numbers", items, path,
                wanted.map(w -> Map.of("PhoneNumber", w)).orElse(Map.of()),
                ListQuery.DEFAULT_PAGE_SIZE, 0, 0, Optional.empty(), Optional.empty(), Optional.empty())), 200);
    }
}
