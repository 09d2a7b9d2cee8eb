package org.twiliochannels.spring.boot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Posts a form as Twilio posts a webhook, over real HTTP. */
final class FormPost {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FormPost() {}

    /** Posts {@code form} to {@code url} with {@code signature} (none when null) and {@code headers}. */
    static HttpResponse<String> post(URI url, Map<String, List<String>> form, String signature,
                                     Map<String, String> headers) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        form.forEach((k, values) -> values.forEach(v -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
