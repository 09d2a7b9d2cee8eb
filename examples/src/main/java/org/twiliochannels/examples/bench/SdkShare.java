package org.twiliochannels.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.type.PhoneNumber;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.sms.SmsChannel;

/**
 * 6. The Twilio SDK's share of one warmed send: (a) building the request (the SDK's
 * {@code MessageCreator} to a {@code Request} with its form parameters, URL and Basic
 * credentials, stopped just before it would be sent), (b) parsing a create answer with the SDK's
 * {@code Message.fromJson} (the loopback server's short answer, and a full answer as Twilio writes
 * it), against (c) the library's whole send on a loopback server in its own process. All three
 * alternate in each round; ratios are taken within each round. CPU is the calling thread's
 * (nanosecond resolution), so (a) and (b) are comparable with (c), whose exchange also runs on the
 * caller's thread; (c)'s whole-process CPU is reported too.
 */
final class SdkShare {
    private static final String TO = "+14155551234";
    private static final String FROM = "+15005550006";
    private static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    private static final String AUTH_TOKEN = "feedfacefeedfacefeedfacefeedface";
    /** What the loopback server answers (BenchServer): the fields a receipt needs and a few more. */
    private static final String SHORT_ANSWER = "{\"sid\":\"SM00000000000000000000000000000001\",\"status\":\"queued\","
            + "\"num_segments\":\"1\",\"to\":\"+14155551234\",\"from\":\"+15005550006\",\"body\":\"hi\","
            + "\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}";
    /** A create answer with every field Twilio's Messages resource has (v2010 OpenAPI description). */
    private static final String FULL_ANSWER = "{\"account_sid\":\"AC00000000000000000000000000000001\","
            + "\"api_version\":\"2010-04-01\",\"body\":\"hi\",\"date_created\":\"Thu, 03 Dec 2026 10:15:00 +0000\","
            + "\"date_sent\":null,\"date_updated\":\"Thu, 03 Dec 2026 10:15:00 +0000\",\"direction\":\"outbound-api\","
            + "\"error_code\":null,\"error_message\":null,\"from\":\"+15005550006\",\"messaging_service_sid\":null,"
            + "\"num_media\":\"0\",\"num_segments\":\"1\",\"price\":null,\"price_unit\":\"USD\","
            + "\"sid\":\"SM00000000000000000000000000000001\",\"status\":\"queued\",\"subresource_uris\":{\"media\":"
            + "\"/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages/SM00000000000000000000000000000001/"
            + "Media.json\"},\"to\":\"+14155551234\",\"uri\":\"/2010-04-01/Accounts/AC00000000000000000000000000000001/"
            + "Messages/SM00000000000000000000000000000001.json\"}";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SdkShare() {}

    /** Thrown where the request would be sent: the SDK's work is done by then. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private static final Stop STOP = new Stop();

    /** An SDK client that completes each request as the transport would and then stops it. */
    private static final class Building extends TwilioRestClient {
        long sink;

        Building(TwilioRestClient.Builder b) {
            super(b);
        }

        @Override
        public Response request(Request request) {
            request.setAuth(ACCOUNT_SID, AUTH_TOKEN);
            sink += request.getAuthString().length() + request.constructURL().toString().length()
                    + request.encodeFormBody().length();
            throw STOP;
        }
    }

    /** No request reaches this client: it is only there so that building the SDK's client makes no pool. */
    private static final class Unused extends HttpClient {
        @Override
        public Response makeRequest(Request request) {
            throw new UnsupportedOperationException("not sent");
        }
    }

    static void run(boolean quick) throws IOException {
        int n = quick ? 2_000 : 20_000;
        int sends = quick ? 200 : 2_000;
        int rounds = quick ? 3 : 15;
        TwilioRestClient.Builder builder = new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN)
                .accountSid(ACCOUNT_SID).httpClient(new Unused());
        Building building = new Building(builder);
        ObjectMapper mapper = builder.build().getObjectMapper();
        long[] sink = new long[1];
        Runnable build = () -> {
            try {
                com.twilio.rest.api.v2010.account.Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "hi")
                        .create(building);
            } catch (Stop expected) {
                sink[0]++;
            }
        };
        Runnable parseShort = () -> sink[0] += parse(SHORT_ANSWER, mapper);
        Runnable parseFull = () -> sink[0] += parse(FULL_ANSWER, mapper);
        try (RemoteServer server = new RemoteServer(0);
             Channel sms = SmsChannel.open(Benchmarks.config(server).build())) {
            Message message = Message.text(TO, "hi");
            Runnable send = () -> sms.send(message);
            Benchmarks.warmUp("6", quick, () -> {
                for (int i = 0; i < 500; i++) {
                    build.run();
                    parseShort.run();
                    parseFull.run();
                    send.run();
                }
            });
            double[] buildUs = new double[rounds];
            double[] shortUs = new double[rounds];
            double[] fullUs = new double[rounds];
            double[] sendUs = new double[rounds];
            double[] sendWallUs = new double[rounds];
            double[] sendProcessUs = new double[rounds];
            double[] buildShare = new double[rounds];
            double[] shortShare = new double[rounds];
            double[] fullShare = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                buildUs[r] = threadCpu(n, build)[0] / 1e3 / n;
                shortUs[r] = threadCpu(n, parseShort)[0] / 1e3 / n;
                fullUs[r] = threadCpu(n, parseFull)[0] / 1e3 / n;
                long process0 = BenchServer.processCpuNanos();
                long[] s = threadCpu(sends, send);
                sendProcessUs[r] = (BenchServer.processCpuNanos() - process0) / 1e3 / sends;
                sendUs[r] = s[0] / 1e3 / sends;
                sendWallUs[r] = s[1] / 1e3 / sends;
                buildShare[r] = buildUs[r] / sendUs[r];
                shortShare[r] = shortUs[r] / sendUs[r];
                fullShare[r] = fullUs[r] / sendUs[r];
            }
            System.out.printf(Locale.ROOT, "6. the SDK's share of a warmed send (%d rounds; thread CPU per message, median"
                    + " and range): (a) building the request %.1f us (%.1f-%.1f); (b) parsing the create answer %.1f us"
                    + " short (%.1f-%.1f), %.1f us full (%.1f-%.1f); (c) the whole send %.1f us (%.1f-%.1f), wall %.1f us,"
                    + " process CPU %.1f us. Shares of (c): building %.2f (%.2f-%.2f), parsing short %.2f (%.2f-%.2f),"
                    + " parsing full %.2f (%.2f-%.2f) [sink %d]%n", rounds,
                    Benchmarks.median(buildUs), Benchmarks.min(buildUs), Benchmarks.max(buildUs),
                    Benchmarks.median(shortUs), Benchmarks.min(shortUs), Benchmarks.max(shortUs),
                    Benchmarks.median(fullUs), Benchmarks.min(fullUs), Benchmarks.max(fullUs),
                    Benchmarks.median(sendUs), Benchmarks.min(sendUs), Benchmarks.max(sendUs),
                    Benchmarks.median(sendWallUs), Benchmarks.median(sendProcessUs),
                    Benchmarks.median(buildShare), Benchmarks.min(buildShare), Benchmarks.max(buildShare),
                    Benchmarks.median(shortShare), Benchmarks.min(shortShare), Benchmarks.max(shortShare),
                    Benchmarks.median(fullShare), Benchmarks.min(fullShare), Benchmarks.max(fullShare),
                    sink[0] + building.sink);
        }
    }

    /** Parses {@code json} as the SDK does after a create, and reads what a receipt needs. */
    private static long parse(String json, ObjectMapper mapper) {
        com.twilio.rest.api.v2010.account.Message m = com.twilio.rest.api.v2010.account.Message.fromJson(json, mapper);
        return m.getSid().length() + String.valueOf(m.getStatus()).length() + m.getNumSegments().length();
    }

    /** The calling thread's CPU nanoseconds and the wall nanoseconds of {@code n} runs of {@code task}. */
    private static long[] threadCpu(int n, Runnable task) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            task.run();
        }
        return new long[] {THREADS.getCurrentThreadCpuTime() - c0, System.nanoTime() - t0};
    }
}
