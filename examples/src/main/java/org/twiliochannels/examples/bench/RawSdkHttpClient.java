package org.twiliochannels.examples.bench;

import com.twilio.http.HttpMethod;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The baseline: the SDK's own {@link NetworkHttpClient} (its Apache client, its connection pool,
 * its request building, its default replay of 5xx) with only the URL pointed at the loopback
 * server, which the SDK has no option for.
 */
final class RawSdkHttpClient extends NetworkHttpClient {
    private final URI base;

    RawSdkHttpClient(URI base) {
        this.base = base;
    }

    @Override
    public Response makeRequest(Request request) {
        HttpUriRequestBase r = createHttpUriRequestBase(request);
        URL twilio = request.constructURL();
        r.setUri(URI.create(base + twilio.getPath() + (twilio.getQuery() == null ? "" : "?" + twilio.getQuery())));
        if (request.requiresAuthentication()) {
            r.addHeader("Authorization", request.getAuthString());
        }
        if (request.getMethod() == HttpMethod.POST) {
            r.setEntity(new StringEntity(request.encodeFormBody(), ContentType.APPLICATION_FORM_URLENCODED));
        }
        try {
            return client.execute(r, response -> new Response(
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                    response.getCode(), response.getHeaders()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
