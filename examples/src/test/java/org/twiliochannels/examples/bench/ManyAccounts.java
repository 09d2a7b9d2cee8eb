package org.twiliochannels.examples.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.TwilioInfrastructure;

/**
 * Many accounts open in one JVM (issue #26): threads and heap per account, measured. Not a test: a
 * {@code main} on the examples' test class path, never run by {@code mvn test} (BENCHMARKS.md,
 * "Many accounts in one JVM", has the command). {@code ManyAccounts [N]} (default 1,000) opens
 * {@code N} accounts three ways, each account sending one SMS to a {@link BenchServer} in this JVM
 * (answering at once) so that its channel, transport and connection are all in use:
 *
 * <ul>
 *   <li>{@code shared}: {@code TwilioAccount.builder(config).sharing(infrastructure)};</li>
 *   <li>{@code resolver}: {@link TwilioAccounts} opening each on first use from a resolver, on one
 *       infrastructure;</li>
 *   <li>{@code own}: {@code TwilioAccount.open(config)}, each with its own parts (the baseline).</li>
 * </ul>
 *
 * <p>For each: the library's live threads ({@code twilio-channels-*}) and the JVM's after the first
 * account and after all {@code N}, and the heap each further account adds: heap used after a full
 * GC (three {@code System.gc()} calls) with {@code N} accounts open, minus that with one, divided by
 * {@code N - 1}. Figures go to standard output and {@code examples/target/many-accounts.md}.
 */
public final class ManyAccounts {
    private ManyAccounts() {}

    /** How one way of opening accounts went. */
    private record Row(String way, long libraryThreadsWithOne, long libraryThreadsWithAll, long jvmThreadsWithOne,
                       long jvmThreadsWithAll, double heapBytesPerAccount) {}

    /** Opens one account number {@code i}, sends one message on it and returns what must stay reachable. */
    @FunctionalInterface
    private interface Opener {
        Object openAndSend(int i);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        List<Row> rows = new ArrayList<>();
        try (BenchServer server = new BenchServer(0)) {
            // warm-up: the classes and the JIT's first tiers, so that they do not count as heap per account
            try (TwilioInfrastructure warm = TwilioInfrastructure.open()) {
                for (int i = 0; i < 200; i++) {
                    try (TwilioAccount a = TwilioAccount.builder(config(server, 900_000 + i)).sharing(warm).build()) {
                        a.channel("sms").send(message());
                    }
                }
            }
            try (TwilioInfrastructure shared = TwilioInfrastructure.open()) {
                List<TwilioAccount> open = new ArrayList<>();
                rows.add(measure("shared", n, i -> {
                    TwilioAccount a = TwilioAccount.builder(config(server, i)).sharing(shared).build();
                    a.channel("sms").send(message());
                    open.add(a);
                    return a;
                }));
                open.forEach(TwilioAccount::close);
            }
            try (TwilioInfrastructure shared = TwilioInfrastructure.open();
                 TwilioAccounts accounts = TwilioAccounts.builder(
                         sid -> Optional.of(config(server, Integer.parseInt(sid.value().substring(2), 16))), shared)
                         .build()) {
                rows.add(measure("resolver", n, i -> accounts.send(AccountSid.of(sid(i)), "sms", message())));
            }
            List<TwilioAccount> own = new ArrayList<>();
            rows.add(measure("own", n, i -> {
                TwilioAccount a = TwilioAccount.open(config(server, i));
                a.channel("sms").send(message());
                own.add(a);
                return a;
            }));
            own.forEach(TwilioAccount::close);
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d accounts, each sent one message; JDK %s, max heap %d MiB%n%n", n,
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20));
        md.append("| accounts opened | library threads, 1 account | library threads, ").append(n)
                .append(" accounts | JVM threads, 1 | JVM threads, ").append(n).append(" | heap per further account |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f KB |%n", r.way(),
                    r.libraryThreadsWithOne(), r.libraryThreadsWithAll(), r.jvmThreadsWithOne(), r.jvmThreadsWithAll(),
                    r.heapBytesPerAccount() / 1024));
        }
        System.out.print(md);
        Path out = Path.of("examples", "target", "many-accounts.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
    }

    private static Row measure(String way, int n, Opener opener) throws InterruptedException {
        List<Object> kept = new ArrayList<>(n);
        kept.add(opener.openAndSend(0));
        long libraryOne = libraryThreads();
        long jvmOne = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapOne = heapAfterGc();
        for (int i = 1; i < n; i++) {
            kept.add(opener.openAndSend(i));
        }
        long libraryAll = libraryThreads();
        long jvmAll = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapAll = heapAfterGc();
        if (kept.size() != n) {
            throw new IllegalStateException("expected " + n + " accounts, kept " + kept.size());
        }
        return new Row(way, libraryOne, libraryAll, jvmOne, jvmAll, (heapAll - heapOne) / (double) (n - 1));
    }

    private static long libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("twilio-channels-")).count();
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String sid(int i) {
        return String.format("AC%032x", i);
    }

    private static TwilioConfig config(BenchServer server, int i) {
        return TwilioConfig.builder()
                .credentials(TwilioCredentials.of(AccountSid.of(sid(i)), AuthToken.of(String.format("%032x", i + 1))))
                .smsFrom(PhoneNumber.of("+15005550006")).apiBaseUrl(server.baseUrl()).build();
    }

    private static Message message() {
        return Message.text("+14155551234", "Your table for two is ready.");
    }
}
