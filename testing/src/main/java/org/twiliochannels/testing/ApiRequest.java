package org.twiliochannels.testing;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.MessageSid;

/**
 * One request the {@link FakeTwilio} received, in order of arrival ({@link FakeTwilio#requests()}),
 * and how it answered. Tests read the sequence to prove, for example, that a create was never
 * repeated without a look-up of the message log in between.
 *
 * @param kind    what was asked for
 * @param method  the HTTP method
 * @param path    the path, without the query
 * @param params  the form parameters of a POST, or the query parameters of a GET
 * @param status  the HTTP status answered; 0 when the connection was closed without an answer
 * @param fault   the fault played on it, if any
 * @param created the message it created, if any (also when a fault hid the answer)
 */
public record ApiRequest(Kind kind, String method, String path, FormBody params, int status,
                         Optional<Fault> fault, Optional<MessageSid> created) {
    /** What a request asked for. */
    public enum Kind {
        /** {@code POST …/Messages.json}. */
        CREATE_MESSAGE,
        /** {@code GET …/Messages.json}: the message log. */
        LIST_MESSAGES,
        /** {@code GET …/Messages/SM….json}. */
        FETCH_MESSAGE,
        /** {@code POST …/Messages/SM….json}, e.g. a cancel. */
        UPDATE_MESSAGE,
        /** {@code GET …/Accounts/AC….json}. */
        FETCH_ACCOUNT,
        /** {@code GET …/IncomingPhoneNumbers.json}. */
        LIST_PHONE_NUMBERS,
        /** {@code /v1/Content…}: the Content API (its bodies in {@link FakeTwilio#contentRequests()}). */
        CONTENT,
        /** Anything else (answered 404). */
        OTHER
    }

    /** Validates the components. */
    public ApiRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(created, "created");
    }

    /** {@code To}: the recipient of a create, or the recipient a list is filtered by. */
    public Optional<String> to() {
        return params.first("To");
    }

    /** True when the connection was closed without an answer. */
    public boolean dropped() {
        return status == 0;
    }

    @Override
    public String toString() {
        return method + " " + path + (kind == Kind.CREATE_MESSAGE || kind == Kind.LIST_MESSAGES
                ? to().map(t -> " To=" + t).orElse("") : "")
                + " -> " + (dropped() ? "dropped" : Integer.toString(status))
                + fault.map(f -> " " + f).orElse("") + created.map(s -> " created " + s).orElse("");
    }
}
