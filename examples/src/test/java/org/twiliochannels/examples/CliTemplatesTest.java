package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.testing.FakeTwilio;

/** {@code templates …} and the doctor's live template list against the fake's Content API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliTemplatesTest {
    /** The definition file of docs/templates.md. */
    static final String FILE = resource("/whatsapp-templates.json");

    static String resource(String name) {
        try (var in = CliTemplatesTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


    private final FakeTwilio twilio = FakeTwilio.start();
    private final Map<String, String> env = CliTest.fakeEnv(twilio);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        twilio.close();
    }

    private Path file(String text) throws Exception {
        Path f = dir.resolve("templates.json");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void createSubmitStatusListAndShow() throws Exception {
        Path f = file(FILE);
        CliTest.Run created = CliTest.run(env, "templates", "create", f.toString());
        assertEquals(0, created.exit(), created.err());
        ContentSid sid = twilio.contentSid("appointment_confirmation", "en").orElseThrow();
        assertEquals("appointment_confirmation (en) " + sid + ": created\n", created.out().replace("\r", ""));

        CliTest.Run again = CliTest.run(env, "templates", "create", f.toString());
        assertEquals("appointment_confirmation (en) " + sid + ": found\n", again.out().replace("\r", ""));

        CliTest.Run submitted = CliTest.run(env, "templates", "submit", "appointment_confirmation", "--category",
                "UTILITY");
        assertEquals(0, submitted.exit(), submitted.err());
        assertEquals(sid + "  appointment_confirmation (en) submitted as appointment_confirmation, UTILITY: received\n",
                submitted.out().replace("\r", ""));

        CliTest.Run pending = CliTest.run(env, "templates", "status", "appointment_confirmation");
        assertEquals(1, pending.exit());
        twilio.rejectTemplate(sid, "INVALID_FORMAT");
        CliTest.Run rejected = CliTest.run(env, "templates", "status", "appointment_confirmation");
        assertEquals(sid + "  appointment_confirmation (en)  rejected (INVALID_FORMAT)\n",
                rejected.out().replace("\r", ""));
        twilio.templateStatus(sid, ApprovalStatus.APPROVED);
        assertEquals(0, CliTest.run(env, "templates", "status", sid.value()).exit());

        CliTest.Run list = CliTest.run(env, "templates", "list");
        assertEquals(sid + "  appointment_confirmation (en)  twilio/quick-reply,twilio/text  approved\n",
                list.out().replace("\r", ""));

        CliTest.Run show = CliTest.run(env, "templates", "show", "appointment_confirmation");
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().startsWith(sid + "  appointment_confirmation (en)  WhatsApp: approved, UTILITY\n"),
                show.out());
        assertTrue(show.out().contains("\"title\" : \"Yes, I'll be there\""), show.out());
    }

    @Test
    void aDefinitionThatDiffersIsReportedAndNothingIsChanged() throws Exception {
        CliTest.run(env, "templates", "create", file(FILE).toString());
        CliTest.Run r = CliTest.run(env, "templates", "create", file(FILE.replace("\"Ada\"", "\"Alan\"")).toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains(": differs in variables.1"), r.out());
        assertTrue(r.err().startsWith("A definition differs from Twilio's template"), r.err());
        assertEquals(1, twilio.contentRequests().stream().filter(q -> q.method().equals("POST")).count());
    }

    @Test
    void aBrokenDefinitionFileFailsBeforeAnyRequest() throws Exception {
        CliTest.Run r = CliTest.run(env, "templates", "create", file(FILE.replace("twilio/text", "twilio/carousel"))
                .toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("types.twilio/carousel: is not a content type this library knows"), r.err());
        assertEquals(0, twilio.requestCount());
    }

    @Test
    void unknownNamesAndCategoriesAreNamed() {
        CliTest.Run missing = CliTest.run(env, "templates", "status", "nope");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("no template \"nope\" at Twilio;"), missing.err());
        int before = twilio.requestCount();
        CliTest.Run category = CliTest.run(env, "templates", "submit", "x", "--category", "PROMO");
        assertEquals(2, category.exit());
        assertTrue(category.err().contains("PROMO"), category.err());
        assertEquals(before, twilio.requestCount());
    }

    @Test
    void doctorLiveListsTheTemplatesWithTheirStatus() throws Exception {
        CliTest.run(env, "templates", "create", file(FILE).toString());
        ContentSid sid = twilio.contentSid("appointment_confirmation", "en").orElseThrow();
        twilio.templateStatus(sid, ApprovalStatus.PAUSED);
        CliTest.Run r = CliTest.run(env, "doctor", "--live");
        assertTrue(r.out().contains("WhatsApp templates (Content API):\n  " + sid
                + "  appointment_confirmation (en)  twilio/quick-reply,twilio/text  paused"), r.out() + r.err());
    }

    @Test
    void doctorLiveJsonListsTheTemplatesWithTheirStatus() throws Exception {
        CliTest.run(env, "templates", "create", file(FILE).toString());
        ContentSid sid = twilio.contentSid("appointment_confirmation", "en").orElseThrow();
        twilio.rejectTemplate(sid, "INVALID_FORMAT");
        CliTest.Run r = CliTest.run(env, "doctor", "--live", "--json");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertTrue(root.path("ok").asBoolean(), r.out());
        assertEquals(1, root.path("templates").size(), r.out());
        JsonNode t = root.path("templates").get(0);
        assertEquals(sid.value(), t.path("sid").asText());
        assertEquals("appointment_confirmation", t.path("friendlyName").asText());
        assertEquals("en", t.path("language").asText());
        assertEquals("[\"twilio/quick-reply\",\"twilio/text\"]", t.path("types").toString());
        assertEquals("rejected", t.path("status").asText());
        assertEquals("INVALID_FORMAT", t.path("rejectionReason").asText());
    }

    @Test
    void doctorLiveJsonStaysAsciiWithANonAsciiTemplateName() throws Exception {
        try (TwilioAccount account = TwilioAccount.open(twilio.config().build())) {
            account.content().create("{\"friendly_name\":\"caf\u00e9_menu\",\"language\":\"fr\","
                    + "\"types\":{\"twilio/text\":{\"body\":\"Bonjour\"}}}");
        }
        CliTest.Run r = CliTest.run(env, "doctor", "--live", "--json");
        assertTrue(r.out().chars().allMatch(c -> c < 128), r.out());
        assertTrue(r.out().contains("\"friendlyName\":\"caf\\u00E9_menu\""), r.out());
    }

    @Test
    void doctorJsonWithoutLiveHasNoTemplates() throws Exception {
        CliTest.Run r = CliTest.run(env, "doctor", "--json");
        assertTrue(new ObjectMapper().readTree(r.out()).path("templates").isMissingNode(), r.out());
        assertEquals(0, twilio.contentRequests().size());
    }
}
