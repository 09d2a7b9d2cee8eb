package org.twiliochannels.examples.boot;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.outbox.Conversation;
import org.twiliochannels.outbox.Conversations;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.outbox.Question;
import org.twiliochannels.outbox.QuestionEvent;

/**
 * The appointment flow: a reminder asks "Reply YES to confirm, C to cancel"; YES confirms, C cancels
 * (and the follow-up with it), no answer within {@code example.answer-timeout} (2 h; 2 s against
 * the fake) brings one follow-up, and still none calls the application back. Each step prints one
 * line starting with {@code conversation:}. Questions are beans; the starter wires them to
 * {@code /twilio/inbound} and fires their time-outs.
 */
@Configuration(proxyBeanMethods = false)
class AppointmentFlow {
    /** Counts down when the flow's last step (the callback after the follow-up) ran. */
    final CountDownLatch calledBack = new CountDownLatch(1);
    private final Duration timeout;

    AppointmentFlow(Environment env) {
        this.timeout = Duration.parse(env.getProperty("example.answer-timeout", "PT2H"));
    }

    /** The outbox's database: an H2 database in memory (point a real DataSource here in production). */
    @Bean
    DataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:boot-example;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }

    @Bean
    Question appointmentReminder() {
        return answers(Question.named("appointment-reminder"))
                .onTimeout(t -> {
                    t.ask("appointment-follow-up", sms(t, "We have not heard from you: reply YES to confirm "
                            + t.data() + ", C to cancel."), t.data());
                    print(t, "timed out, follow-up sent");
                })
                .build();
    }

    @Bean
    Question appointmentFollowUp() {
        return answers(Question.named("appointment-follow-up"))
                .onTimeout(t -> {
                    print(t, "timed out again, the application is called back");
                    calledBack.countDown();
                })
                .build();
    }

    private Question.Builder answers(Question.Builder question) {
        return question
                .answer("YES", a -> {
                    print(a, "answered YES, confirmed");
                    return InboundReply.message("Confirmed, see you on " + a.data() + ".");
                })
                .answer("C", a -> {
                    int cancelled = a.cancelOpenQuestions();
                    print(a, "answered C, cancelled" + (cancelled > 0 ? " with its follow-up" : ""));
                    return InboundReply.message("Cancelled: " + a.data() + ".");
                })
                .timeout(timeout);
    }

    /** Sends a reminder and opens its question. */
    static void remind(Conversations conversations, Address person, String sender, String when) {
        conversations.ask(Conversation.sms(person.value(), sender), "appointment-reminder",
                OutboxMessage.of("sms", Message.text(person.value(), "Reminder: " + when
                        + ". Reply YES to confirm, C to cancel.")), when);
        System.out.println("conversation: reminder sent to " + person.masked() + " for " + when);
    }

    /** Waits for the flow's last step, at most {@code seconds}. */
    boolean awaitCallback(long seconds) throws InterruptedException {
        return calledBack.await(seconds, TimeUnit.SECONDS);
    }

    private static OutboxMessage sms(QuestionEvent e, String text) {
        return OutboxMessage.of(e.conversation().channel(), Message.text(e.conversation().person(), text));
    }

    private static void print(QuestionEvent e, String what) {
        System.out.println("conversation: " + e.question().question() + " for " + e.data() + " "
                + Address.parse(e.conversation().person()).masked() + ": " + what);
    }
}
