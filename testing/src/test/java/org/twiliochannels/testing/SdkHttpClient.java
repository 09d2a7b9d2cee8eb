package org.twiliochannels.testing;

import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;

/**
 * A plain HTTP client for the Twilio SDK that sends to the fake instead of api.twilio.com and, unlike
 * the library's transport, hands every answer back to the SDK, so the SDK's own parsing of results
 * and errors is what the tests exercise. One attempt per request: a dropped connection is an
 * {@link UncheckedIOException}, never silently sent again.
 */
final class SdkHttpClient extends HttpClient {
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final URI base;
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    SdkHttpClient(URI base) {
        this.base = base;
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        URL twilio = request.constructURL();
        String target = base + twilio.getPath() + (twilio.getQuery() == null ? "" : "?" + twilio.getQuery());
        okhttp3.Request.Builder call = new okhttp3.Request.Builder().url(target)
                .header("Authorization", request.getAuthString())
                .header("Accept", "application/json");
        if (request.getMethod() == HttpMethod.POST) {
            call.post(RequestBody.create(request.encodeFormBody().getBytes(StandardCharsets.UTF_8), FORM));
        } else {
            call.method(request.getMethod().toString(), null);
        }
        try (okhttp3.Response answer = http.newCall(call.build()).execute()) {
            return new Response(answer.body().string(), answer.code(), new org.apache.hc.core5.http.Header[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
