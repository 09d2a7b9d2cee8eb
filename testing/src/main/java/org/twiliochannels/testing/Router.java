package org.twiliochannels.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.twiliochannels.testing.ApiRequest.Kind;
import org.twiliochannels.testing.Endpoints.Answer;
import org.twiliochannels.testing.JsonShapes.ApiError;

/**
 * Routes each request to its resource after checking Basic authentication (the account's SID and
 * auth token, or an API key and its secret, for the account named in the path; 20003 otherwise),
 * and records it, with its answer, in the request log.
 */
final class Router extends Dispatcher {
    private static final Pattern ACCOUNT = Pattern.compile("/2010-04-01/Accounts/([^/]+)\\.json");
    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
    private static final Pattern MESSAGE = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)\\.json");
    private static final Pattern NUMBERS = Pattern.compile("/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers\\.json");

    private final AccountState account;
    private final Endpoints endpoints;
    private final RequestLog log;
    private final ContentEndpoints content;
    private final java.util.List<ContentRequest> contentLog = new java.util.concurrent.CopyOnWriteArrayList<>();

    Router(AccountState account, Endpoints endpoints, RequestLog log, ContentEndpoints content) {
        this.account = account;
        this.endpoints = endpoints;
        this.log = log;
        this.content = content;
    }

    /** The Content API requests, in order of arrival. */
    java.util.List<ContentRequest> contentRequests() {
        return java.util.List.copyOf(contentLog);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        boolean post = "POST".equals(method);
        Kind kind = kindOf(method, path);
        if (kind == Kind.CONTENT) {
            return dispatchContent(request, method, path);
        }
        FormBody params;
        Answer answer;
        try {
            params = FormBody.parse(post ? (request.getBody() == null ? "" : request.getBody().utf8())
                    : request.getUrl().encodedQuery());
            answer = authenticated(request, path) ? route(kind, path, params)
                    : Answer.of(new ApiError(401, 20003, "Authenticate"));
        } catch (IllegalArgumentException e) {
            params = FormBody.parse("");
            answer = Answer.of(new ApiError(400, 20001, e.getMessage()));
        }
        log.add(new ApiRequest(kind, method, path, params, answer.status(), answer.fault(), answer.created()));
        return answer.response().build();
    }

    /** A Content API request: Basic authentication only (no account in its path), a JSON body. */
    private MockResponse dispatchContent(RecordedRequest request, String method, String path) {
        String query = request.getUrl().encodedQuery();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        Answer answer = basicAuthenticated(request) ? content.route(method, path, query, body)
                : Answer.of(new ApiError(401, 20003, "Authenticate"));
        contentLog.add(new ContentRequest(method, path, Optional.ofNullable(query),
                body.isEmpty() ? Optional.empty() : Optional.of(body), answer.status()));
        log.add(new ApiRequest(Kind.CONTENT, method, path, FormBody.parse(""), answer.status(), answer.fault(),
                Optional.empty()));
        return answer.response().build();
    }

    private static Kind kindOf(String method, String path) {
        if (path.equals("/v1/Content") || path.startsWith("/v1/Content/")) {
            return Kind.CONTENT;
        }
        boolean post = "POST".equals(method);
        boolean get = "GET".equals(method);
        if (MESSAGES.matcher(path).matches() && (post || get)) {
            return post ? Kind.CREATE_MESSAGE : Kind.LIST_MESSAGES;
        }
        if (MESSAGE.matcher(path).matches() && (post || get)) {
            return post ? Kind.UPDATE_MESSAGE : Kind.FETCH_MESSAGE;
        }
        if (get && ACCOUNT.matcher(path).matches()) {
            return Kind.FETCH_ACCOUNT;
        }
        if (get && NUMBERS.matcher(path).matches()) {
            return Kind.LIST_PHONE_NUMBERS;
        }
        return Kind.OTHER;
    }

    private Answer route(Kind kind, String path, FormBody params) {
        return switch (kind) {
            case CREATE_MESSAGE -> endpoints.create(params);
            case LIST_MESSAGES -> endpoints.list(path, params);
            case FETCH_MESSAGE -> endpoints.fetch(path, messageSid(path));
            case UPDATE_MESSAGE -> endpoints.update(path, messageSid(path), params);
            case FETCH_ACCOUNT -> endpoints.account();
            case LIST_PHONE_NUMBERS -> endpoints.numbers(path, params);
            case CONTENT, OTHER -> Endpoints.notFound(path);
        };
    }

    private static String messageSid(String path) {
        Matcher m = MESSAGE.matcher(path);
        return m.matches() ? m.group(2) : "";
    }

    private boolean authenticated(RecordedRequest request, String path) {
        String sid = account.accountSid.value();
        boolean pathAccountOk = path.startsWith("/2010-04-01/Accounts/" + sid + "/")
                || path.equals("/2010-04-01/Accounts/" + sid + ".json");
        return pathAccountOk && basicAuthenticated(request);
    }

    private boolean basicAuthenticated(RecordedRequest request) {
        String header = Optional.ofNullable(request.getHeaders().get("Authorization")).orElse("");
        return header.equals(basic(account.accountSid.value(), account.authToken.revealSecret()))
                || header.equals(basic(account.apiKey.value(), account.apiKeySecret.revealSecret()));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
