package org.twiliochannels.testing;

import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A plain HTTP client for the Twilio SDK that sends to the fake instead of api.twilio.com and, unlike
 * the library's transport, hands every answer back to the SDK, so the SDK's own parsing of results
 * and errors is what the tests exercise.
 */
final class SdkHttpClient extends HttpClient {
    private final URI base;

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
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(target).toURL().openConnection();
            c.setRequestMethod(request.getMethod().toString());
            c.setRequestProperty("Authorization", request.getAuthString());
            c.setRequestProperty("Accept", "application/json");
            if (request.getMethod() == HttpMethod.POST) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                byte[] form = request.encodeFormBody().getBytes(StandardCharsets.UTF_8);
                c.setFixedLengthStreamingMode(form.length); // streaming: a dropped POST is never silently re-sent
                try (OutputStream out = c.getOutputStream()) {
                    out.write(form);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(body, status, new org.apache.hc.core5.http.Header[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
