package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.inbound.InboundReply;

/**
 * An instance that fires question time-outs, in a JVM of its own: {@code java -cp <the test class
 * path> org.twiliochannels.outbox.TimeoutProcess <jdbc url> <table prefix>}. Its time-out action
 * puts a follow-up in the outbox, prints "firing &lt;data&gt;" and then hangs, holding the claim,
 * until the test kills the JVM.
 */
public final class TimeoutProcess {
    private TimeoutProcess() {}

    /** The question both the test and this process register: its time-out sends a follow-up. */
    static Question question(Runnable whileFiring) {
        return Question.named("reminder")
                .answer("YES", a -> InboundReply.none())
                .timeout(Duration.ofMinutes(1))
                .onTimeout(t -> {
                    t.send(OutboxMessage.of("sms", Message.text(t.conversation().person(), "follow-up " + t.data())));
                    whileFiring.run();
                })
                .build();
    }

    /** Fires time-outs until killed. */
    public static void main(String[] args) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(args[0]);
        pool.setMaximumPoolSize(2);
        try (HikariDataSource ds = new HikariDataSource(pool)) {
            Outbox outbox = Outbox.builder(ds).tablePrefix(args[1]).workerId("doomed").build();
            Conversations conversations = Conversations.builder(outbox).question(question(() -> {
                System.out.println("firing");
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })).build();
            System.out.println("ready");
            System.out.flush();
            conversations.fireDueTimeouts();
        }
    }
}
