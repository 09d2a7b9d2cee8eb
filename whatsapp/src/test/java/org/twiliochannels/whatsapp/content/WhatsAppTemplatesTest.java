package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.OutsideSessionWindowException;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.Template;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.content.TemplateStatusChange;
import org.twiliochannels.core.content.WhatsAppApproval;
import org.twiliochannels.testing.ApiRequest;
import org.twiliochannels.testing.ContentRequest;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

/** Templates deployed, submitted, tracked and guarded against the fake's Content API, every request checked against Twilio's OpenAPI description. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WhatsAppTemplatesTest {
    private static final String TO = "+14155551234";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> VALUES = Map.of("1", "Grace", "2", "Friday 10 am");

    private final FakeTwilio twilio = FakeTwilio.start().joinSandbox(PhoneNumber.of(TO));
    private final TwilioAccount account = TwilioAccount.open(twilio.config()
            .retryPolicy(RetryPolicy.defaults().newBuilder().settleDelay(Duration.ZERO)
                    .initialBackoff(Duration.ofMillis(1)).build()).build());
    private final List<TemplateStatusChange> changes = new ArrayList<>();
    private final WhatsAppTemplates templates = WhatsAppTemplates.builder(account).listener(changes::add).build();

    @AfterEach
    void checkEveryContentRequestAgainstTheContract() throws Exception {
        try {
            for (ContentRequest r : twilio.contentRequests()) {
                String method = r.method().toLowerCase(java.util.Locale.ROOT);
                String template = ContentApiSpec.pathTemplate(r.path(), method);
                for (String pair : r.query().map(q -> q.split("&")).orElse(new String[0])) {
                    String[] nv = pair.split("=", 2);
                    assertEquals(List.of(), ContentApiSpec.queryViolations(template, method, nv[0],
                            nv.length > 1 ? nv[1] : ""), r.toString());
                }
                if (method.equals("post")) {
                    assertEquals(List.of(), ContentApiSpec.violations(ContentApiSpec.requestSchema(template, method),
                            JSON.readTree(r.body().orElseThrow())), r.toString());
                } else {
                    assertTrue(r.body().isEmpty(), r + " has a body");
                }
            }
        } finally {
            account.close();
            twilio.close();
        }
    }

    private ContentSid sidOf(ContentTemplate t) {
        return twilio.contentSid(t.friendlyName(), t.language()).orElseThrow();
    }

    @Test
    void deployCreatesOnlyWhatIsMissingAndReportsADifferingDefinition() {
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        TemplateDeployment first = templates.deploy(confirmation);
        assertEquals(TemplateDeployment.Outcome.CREATED, first.outcome());
        assertEquals(sidOf(confirmation), first.sid());

        WhatsAppTemplates again = WhatsAppTemplates.builder(account).build();
        TemplateDeployment second = again.deploy(confirmation);
        assertEquals(TemplateDeployment.Outcome.FOUND, second.outcome());
        assertEquals(first.sid(), second.sid());

        ContentTemplate changed = confirmation.newBuilder().variable("1", "Alan").build();
        TemplateDeployment third = WhatsAppTemplates.builder(account).build().deploy(changed);
        assertEquals(TemplateDeployment.Outcome.DIFFERS, third.outcome());
        assertEquals(List.of("variables.1"), third.differences());
        assertEquals(1, twilio.contentRequests().stream().filter(r -> r.method().equals("POST")).count(),
                "created once: " + twilio.contentRequests());

        WhatsAppTemplates differing = WhatsAppTemplates.builder(account).build();
        differing.deploy(changed);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> differing.template(changed, SessionWindow.OPEN, VALUES));
        assertEquals("template \"appointment_confirmation\" (en) differs from Twilio's " + first.sid()
                + " in [variables.1]; neither is used. Give the definition a new friendly name (e.g. with _v2) or"
                + " delete Twilio's, then deploy again.", e.getMessage());
    }

    @Test
    void deployAllListsOnceForManyTemplates() {
        List<TemplateDeployment> all = templates.deployAll(Samples.all());
        assertEquals(Samples.all().size(), all.size());
        assertEquals(1, twilio.contentRequests().stream().filter(r -> r.method().equals("GET")).count());
        List<TemplateDeployment> again = WhatsAppTemplates.builder(account).build().deployAll(Samples.all());
        assertTrue(again.stream().allMatch(d -> d.outcome() == TemplateDeployment.Outcome.FOUND), again.toString());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsFoundInTheListNotCreatedTwice() {
        twilio.failNextContentCreate(Fault.disconnectAfterCreate());
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        TemplateDeployment d = templates.deploy(confirmation);
        assertEquals(TemplateDeployment.Outcome.CREATED, d.outcome());
        assertEquals(sidOf(confirmation), d.sid());
        assertEquals(List.of("GET /v1/Content", "POST /v1/Content", "GET /v1/Content"), twilio.contentRequests()
                .stream().map(r -> r.method() + " " + r.path()).toList());
    }

    @Test
    void aCreateThatSurelyFailedIsSentAgain() {
        twilio.failNextContentCreate(Fault.disconnectAfterRequest());
        TemplateDeployment d = templates.deploy(Samples.appointmentConfirmation());
        assertEquals(TemplateDeployment.Outcome.CREATED, d.outcome());
        assertEquals(List.of("GET /v1/Content", "POST /v1/Content", "GET /v1/Content", "POST /v1/Content"),
                twilio.contentRequests().stream().map(r -> r.method() + " " + r.path()).toList());
    }

    @Test
    void submitAndPollTellTheListenersOfEveryChangeAndPausedIsAnIncident() {
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        ContentSid sid = templates.deploy(confirmation).sid();
        WhatsAppApproval submitted = templates.submit(confirmation, TemplateCategory.UTILITY);
        assertEquals(ApprovalStatus.RECEIVED, submitted.status());
        assertEquals(Optional.of("appointment_confirmation"), submitted.name());
        assertEquals(Optional.of("UTILITY"), submitted.category());

        templates.poll();
        assertEquals(1, changes.size(), "no change, no event: " + changes);
        twilio.templateStatus(sid, ApprovalStatus.APPROVED);
        templates.poll();
        twilio.templateStatus(sid, ApprovalStatus.PAUSED);
        templates.poll();
        assertEquals(1, templates.incidents().size());
        assertTrue(templates.incidents().get(0).incident());
        twilio.templateStatus(sid, ApprovalStatus.APPROVED);
        templates.poll();
        assertEquals(List.of(), templates.incidents());

        assertEquals(List.of("appointment_confirmation (en) " + sid + ": received",
                "appointment_confirmation (en) " + sid + ": received -> approved",
                "appointment_confirmation (en) " + sid + ": approved -> paused",
                "appointment_confirmation (en) " + sid + ": paused -> approved"),
                changes.stream().map(TemplateStatusChange::toString).toList());
        assertEquals(List.of(false, false, true, false), changes.stream().map(TemplateStatusChange::incident).toList());
    }

    @Test
    void aRejectionCarriesWhatsAppsReason() {
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        ContentSid sid = templates.deploy(confirmation).sid();
        templates.submit(confirmation, TemplateCategory.UTILITY);
        twilio.rejectTemplate(sid, "INVALID_FORMAT");
        WhatsAppApproval a = templates.status(confirmation);
        assertEquals(ApprovalStatus.REJECTED, a.status());
        assertEquals(Optional.of("INVALID_FORMAT"), a.rejectionReason());
        assertEquals("appointment_confirmation (en) " + sid + ": received -> rejected (INVALID_FORMAT)",
                changes.get(changes.size() - 1).toString());
    }

    @Test
    void aSendOutsideTheWindowOfATemplateNotApprovedIsRefusedBeforeTheRequest() {
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        ContentSid sid = templates.deploy(confirmation).sid();
        templates.submit(confirmation, TemplateCategory.UTILITY);
        twilio.rejectTemplate(sid, "INVALID_FORMAT");
        templates.poll();
        int before = twilio.requestCount();
        TemplateNotApprovedException e = assertThrows(TemplateNotApprovedException.class,
                () -> templates.template(confirmation, SessionWindow.CLOSED, VALUES));
        assertEquals(ApprovalStatus.REJECTED, e.status());
        assertEquals("template: template \"appointment_confirmation\" (en) " + sid + " is rejected (INVALID_FORMAT);"
                + " outside the 24-hour window WhatsApp delivers only approved templates. Fix what the reason says"
                + " under a new friendly name, deploy and submit it again.", e.getMessage());
        assertEquals(before, twilio.requestCount(), "no request");

        Template inside = templates.template(confirmation, SessionWindow.OPEN, VALUES);
        assertEquals(sid, inside.sid());

        twilio.templateStatus(sid, ApprovalStatus.APPROVED);
        templates.poll();
        Channel whatsapp = account.channel("whatsapp");
        twilio.closeSessionWindow(PhoneNumber.of(TO));
        whatsapp.send(Message.template(TO, templates.template(confirmation, SessionWindow.CLOSED, VALUES)));
        assertEquals(1, twilio.sent().size());
    }

    @Test
    void anApprovalOnlyTypeIsRefusedInsideTheWindowToo() {
        ContentTemplate offer = Samples.offer();
        templates.deploy(offer);
        TemplateNotApprovedException e = assertThrows(TemplateNotApprovedException.class,
                () -> templates.template(offer, SessionWindow.OPEN, Map.of("1", "SPRING10")));
        assertEquals(ApprovalStatus.UNSUBMITTED, e.status());
        assertTrue(e.getMessage().contains(" is unsubmitted; twilio/card is a type WhatsApp delivers only approved."),
                e.getMessage());
    }

    @Test
    void aListPickerIsNeverSentOutsideTheWindow() {
        ContentTemplate menu = Samples.menu();
        templates.deploy(menu);
        TemplateNotApprovedException e = assertThrows(TemplateNotApprovedException.class,
                () -> templates.template(menu, SessionWindow.CLOSED, Map.of()));
        assertTrue(e.getMessage().contains("is a list picker, which WhatsApp never approves"), e.getMessage());
        templates.template(menu, SessionWindow.OPEN, Map.of());
    }

    @Test
    void variablesAreCheckedBeforeAnyRequest() {
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        templates.deploy(confirmation);
        int before = twilio.requestCount();
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> templates.template(confirmation, SessionWindow.OPEN, Map.of("1", "Grace")));
        assertEquals("template: variable \"2\" is missing; template \"appointment_confirmation\" (en) has {{1}}, {{2}}."
                + " Give a value for each.", e.getMessage());
        assertThrows(InvalidMessageException.class, () -> templates.template(confirmation, SessionWindow.OPEN,
                Map.of("1", "Grace", "2", "Friday", "3", "extra")));
        assertThrows(InvalidMessageException.class, () -> templates.template(confirmation, SessionWindow.OPEN,
                Map.of("1", "Grace", "2", "line\nbreak")));
        assertEquals(before, twilio.requestCount());
    }

    @Test
    void aTemplateNotDeployedIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> templates.status(Samples.appointmentConfirmation()));
        assertEquals("template \"appointment_confirmation\" (en) is not deployed: call deploy(template) first (it finds"
                + " the template at Twilio or creates it).", e.getMessage());
    }

    @Test
    void theFakeRefusesAWhatsAppSendOfAnUnapprovedTemplateOutsideTheWindowAsTwilioDoes() {
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        ContentSid sid = templates.deploy(confirmation).sid();
        twilio.closeSessionWindow(PhoneNumber.of(TO));
        Channel whatsapp = account.channel("whatsapp");
        Template unguarded = TemplateVariables.of(confirmation, VALUES).template(sid);
        OutsideSessionWindowException e = assertThrows(OutsideSessionWindowException.class,
                () -> whatsapp.send(Message.template(TO, unguarded)));
        assertEquals(63016, e.error().code().orElseThrow());
        twilio.templateStatus(sid, ApprovalStatus.APPROVED);
        whatsapp.send(Message.template(TO, unguarded));
        assertEquals(1, twilio.sent().size());
    }

    @Test
    void theFakesAnswersHaveTheShapesOfTheSpec() throws Exception {
        ContentTemplate confirmation = Samples.appointmentConfirmation();
        ContentSid sid = templates.deploy(confirmation).sid();
        templates.submit(confirmation, TemplateCategory.UTILITY);
        String base = twilio.baseUrl().toString();
        var http = java.net.http.HttpClient.newHttpClient();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((twilio.accountSid().value() + ":"
                + twilio.authToken().revealSecret()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String[] c : List.of(new String[] {"/v1/Content", "/v1/Content"},
                new String[] {"/v1/Content/" + sid, "/v1/Content/{Sid}"},
                new String[] {"/v1/Content/" + sid + "/ApprovalRequests", "/v1/Content/{Sid}/ApprovalRequests"})) {
            var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + c[0]))
                    .header("Authorization", auth).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), c[0]);
            JsonNode body = JSON.readTree(answer.body());
            assertEquals(List.of(), ContentApiSpec.violations(ContentApiSpec.responseSchema(c[1], "get", "200"), body),
                    c[0] + ": " + body);
        }
        assertTrue(twilio.requests().stream().allMatch(r -> r.kind() == ApiRequest.Kind.CONTENT));
    }
}
