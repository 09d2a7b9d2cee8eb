package org.twiliochannels.outbox;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;

/**
 * The benchmark's process that sends without the outbox, started like {@link WorkerProcess} (same
 * JVM options, same account settings): {@code java -cp <the test class path>
 * org.twiliochannels.outbox.DirectProcess <Twilio base URL> <in flight> <warm-up> <count>}. It
 * sends the warm-up messages, prints "warm", waits for a line on its standard input, sends the
 * counted messages with that many requests in flight and prints "done". The fake's credentials
 * come in the environment.
 */
public final class DirectProcess {
    private DirectProcess() {}

    /** Runs one sender. */
    public static void main(String[] args) throws Exception {
        URI twilio = URI.create(args[0]);
        int inFlight = Integer.parseInt(args[1]);
        int warmUp = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        TwilioConfig config = WorkerProcess.account(twilio, inFlight);
        try (TwilioAccount account = TwilioAccount.open(config)) {
            Channel sms = account.channel("sms");
            send(sms, inFlight, count, warmUp);
            System.out.println("warm");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            send(sms, inFlight, 0, count);
            System.out.println("done");
            System.out.flush();
        }
    }

    private static void send(Channel sms, int threads, int from, int count) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    sms.send(Message.text(OutboxBenchmark.to(from + i), "Hello"));
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("sends not done in 10 minutes");
        }
    }
}
