package org.twiliochannels.core.webhook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook request as any web framework sees it: the URL it was received on (with its query), the
 * form parameters, the raw form body or the raw JSON body, and the {@code X-Twilio-Signature}
 * header. Nothing is checked here: every check, the parsing of a raw body included, happens in
 * {@link WebhookVerifier#verify(WebhookRequest)}, so that every bad request ends in a
 * {@link WebhookRejectedException} there.
 */
public final class WebhookRequest {
    private final String url;
    private final Map<String, List<String>> parameters;
    private final String formBody;
    private final String jsonBody;
    private final String signature;

    private WebhookRequest(String url, Map<String, List<String>> parameters, String formBody, String jsonBody,
                           String signature) {
        this.url = Objects.requireNonNull(url, "url");
        this.parameters = parameters;
        this.formBody = formBody;
        this.jsonBody = jsonBody;
        this.signature = signature;
    }

    /**
     * A form webhook from parsed parameters. Pass only the body's parameters: a Servlet's
     * {@code getParameterMap()} mixes in the query's, which Twilio does not sign as parameters (use
     * {@link #ofFormBody} with the raw body there).
     *
     * @param url        the full URL as received, e.g. {@code request.getRequestURL() + "?" + request.getQueryString()}
     * @param parameters every value of every parameter, in any order
     * @param signature  the {@code X-Twilio-Signature} header, or null when the request has none
     */
    public static WebhookRequest ofForm(String url, Map<String, List<String>> parameters, String signature) {
        Objects.requireNonNull(parameters, "parameters");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "parameter name"), List.copyOf(v)));
        return new WebhookRequest(url, Collections.unmodifiableMap(copy), null, null, signature);
    }

    /**
     * A form webhook from its raw {@code application/x-www-form-urlencoded} body, decoded as UTF-8.
     * A body that is not valid form encoding is rejected by the verifier with
     * {@link WebhookRejectedException.Reason#MALFORMED_BODY}.
     *
     * @param url       the full URL as received, query included
     * @param body      the raw body
     * @param signature the {@code X-Twilio-Signature} header, or null when the request has none
     */
    public static WebhookRequest ofFormBody(String url, String body, String signature) {
        return new WebhookRequest(url, null, Objects.requireNonNull(body, "body"), null, signature);
    }

    /**
     * A JSON webhook: Twilio signs its URL, which carries the body's hash in {@code bodySHA256}.
     *
     * @param url       the full URL as received, {@code bodySHA256} included
     * @param body      the raw body
     * @param signature the {@code X-Twilio-Signature} header, or null when the request has none
     */
    public static WebhookRequest ofJson(String url, String body, String signature) {
        return new WebhookRequest(url, Map.of(), null, Objects.requireNonNull(body, "body"), signature);
    }

    /** The URL the request was received on, as given. */
    public String url() {
        return url;
    }

    /** The {@code X-Twilio-Signature} header, if the request has one. */
    public Optional<String> signature() {
        return Optional.ofNullable(signature);
    }

    /** The raw body of a JSON webhook. */
    public Optional<String> jsonBody() {
        return Optional.ofNullable(jsonBody);
    }

    /** The raw body of a form webhook made with {@link #ofFormBody}. */
    public Optional<String> formBody() {
        return Optional.ofNullable(formBody);
    }

    /**
     * The form parameters (every value of repeated names), empty for a JSON webhook; a raw form body
     * is decoded strictly.
     *
     * @throws WebhookRejectedException with {@link WebhookRejectedException.Reason#MALFORMED_BODY}
     *         when the raw body is not valid form encoding in UTF-8
     */
    public Map<String, List<String>> parameters() {
        if (formBody == null) {
            return parameters;
        }
        Map<String, List<String>> parsed = FormDecoder.parse(formBody, WebhookVerifier.MAX_PARAMETERS);
        parsed.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(parsed);
    }

    /** Never shows parameter values or the body, which may be personal data; nor the URL's query. */
    @Override
    public String toString() {
        String kind = jsonBody != null ? "json, " + jsonBody.length() + " chars"
                : formBody != null ? "form body, " + formBody.length() + " chars" : parameters.size() + " parameters";
        return "WebhookRequest[url=" + Redact.url(url) + ", " + kind + ", signed=" + (signature != null) + "]";
    }
}
