package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A definition compared with the Content resource Twilio returns (shape: content.v1.content). */
class DifferencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The resource Twilio would return for {@code t}: its create body plus the fields Twilio adds. */
    private static ObjectNode fetched(ContentTemplate t) throws Exception {
        ObjectNode r = (ObjectNode) JSON.readTree(t.createRequestJson());
        r.put("sid", "HX0123456789abcdef0123456789abcdef").put("account_sid", "AC0123456789abcdef0123456789abcdef")
                .put("date_created", "2026-01-05T10:00:00Z").put("date_updated", "2026-01-05T10:00:00Z")
                .put("url", "https://content.twilio.com/v1/Content/HX0123456789abcdef0123456789abcdef");
        r.putObject("links").put("approval_fetch", "https://content.twilio.com/v1/Content/HX…/ApprovalRequests");
        return r;
    }

    @Test
    void noDifferenceFromWhatWasCreated() throws Exception {
        for (ContentTemplate t : Samples.all()) {
            assertEquals(List.of(), t.differences(fetched(t).toString()), t.toString());
        }
    }

    @Test
    void namesEachFieldThatDiffers() throws Exception {
        ContentTemplate t = Samples.appointmentConfirmation();
        ObjectNode r = fetched(t);
        r.put("language", "es");
        ((ObjectNode) r.get("variables")).put("2", "Monday 9 am");
        ObjectNode qr = (ObjectNode) r.get("types").get("twilio/quick-reply");
        ((ObjectNode) qr.get("actions").get(1)).put("title", "Another day");
        ((com.fasterxml.jackson.databind.node.ArrayNode) qr.get("actions")).addObject().put("id", "no").put("title", "No");
        ((ObjectNode) r.get("types")).remove("twilio/text");
        ((ObjectNode) r.get("types")).putObject("twilio/media").putArray("media").add("https://example.com/a.jpg");
        assertEquals(List.of("language", "variables.2", "types.twilio/quick-reply.actions[1].title",
                "types.twilio/quick-reply.actions[2]", "types.twilio/text", "types.twilio/media"),
                t.differences(r.toString()));
    }

    @Test
    void nullEmptyAndTwilioDefaultsMatchAbsent() throws Exception {
        ContentTemplate t = Samples.appointmentConfirmation();
        ObjectNode r = fetched(t);
        ObjectNode qr = (ObjectNode) r.get("types").get("twilio/quick-reply");
        ((ObjectNode) qr.get("actions").get(0)).put("type", "QUICK_REPLY");
        ((ObjectNode) r.get("types")).putNull("twilio/card");
        assertEquals(List.of(), t.differences(r.toString()));

        ContentTemplate code = Samples.oneTimeCode(); // code_expiration_minutes 10
        ObjectNode auth = fetched(code);
        ((ObjectNode) auth.get("types").get("whatsapp/authentication")).put("code_expiration_minutes", 10.0);
        assertEquals(List.of(), code.differences(auth.toString()), "10.0 is 10");
        ((ObjectNode) auth.get("types").get("whatsapp/authentication")).put("code_expiration_minutes", 15);
        assertEquals(List.of("types.whatsapp/authentication.code_expiration_minutes"), code.differences(auth.toString()));
    }

    @Test
    void aMissingOrRenamedTemplateDiffersEverywhere() throws Exception {
        assertEquals(List.of("friendly_name", "language", "variables", "types"),
                Samples.appointmentConfirmation().differences("{\"sid\": \"HX0123456789abcdef0123456789abcdef\"}"));
    }

    @Test
    void refusesWhatIsNotAContentResource() {
        assertEquals("contentJson is not a JSON object (a Content resource)", assertThrows(IllegalArgumentException.class,
                () -> Samples.menu().differences("[]")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Samples.menu().differences("{"));
    }
}
