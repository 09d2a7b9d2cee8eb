package org.twiliochannels.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/** The example offline against the fake: the appointment flow prints each step as a {@code conversation:} line. */
@Timeout(90)
class BootExampleTest {

    @Test
    void theAppointmentFlowRunsOfflineAndPrintsEachStep() throws Exception {
        String[] args = {"--server.port=0"};
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (ConfigurableApplicationContext context = BootExample.application(args).run(args)) {
            assertTrue(context.getBean(AppointmentFlow.class).awaitCallback(60), "the flow ended");
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("conversation:")).toList();
        original.println(String.join("\n", lines));
        assertEquals(List.of(
                "conversation: reminder sent to +1415***0111 for Tuesday 10:00",
                "conversation: appointment-reminder for Tuesday 10:00 +1415***0111: answered YES, confirmed",
                "conversation: reminder sent to +1415***0112 for Wednesday 9:30",
                "conversation: appointment-reminder for Wednesday 9:30 +1415***0112: answered C, cancelled",
                "conversation: reminder sent to +1415***0113 for Thursday 15:00",
                "conversation: appointment-reminder for Thursday 15:00 +1415***0113: timed out, follow-up sent",
                "conversation: appointment-follow-up for Thursday 15:00 +1415***0113: timed out again, the application"
                        + " is called back"), lines);
    }
}
