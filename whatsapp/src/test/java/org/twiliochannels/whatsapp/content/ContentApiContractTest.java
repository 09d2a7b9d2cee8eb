package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every create request body the library writes is valid against Twilio's OpenAPI description of the Content API. */
class ContentApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyGeneratedCreateBodyIsValidAgainstTheContentCreateRequestSchema() throws Exception {
        JsonNode schema = ContentApiSpec.requestSchema("/v1/Content", "post");
        Set<String> typesSeen = new TreeSet<>();
        for (ContentTemplate t : Samples.all()) {
            JsonNode body = JSON.readTree(t.createRequestJson());
            assertEquals(List.of(), ContentApiSpec.violations(schema, body), t + ": " + body);
            body.get("types").fieldNames().forEachRemaining(typesSeen::add);
        }
        assertEquals(new TreeSet<>(ContentJson.KNOWN_TYPES), typesSeen, "the samples cover every known type");
    }

    @Test
    void bodiesWithoutTheOptionalFieldsAreValidToo() throws Exception {
        JsonNode schema = ContentApiSpec.requestSchema("/v1/Content", "post");
        List<ContentTemplate> minimal = List.of(
                ContentTemplate.builder("photo", "en").type(ContentType.Media.of("https://example.com/a.jpg")).build(),
                ContentTemplate.builder("card", "en").type(new ContentType.Card("Hello", java.util.Optional.of("Footer"),
                        List.of(), List.of())).build(),
                ContentTemplate.builder("code", "en").type(new ContentType.WhatsAppAuthentication(false,
                        java.util.OptionalInt.empty(), "Copy")).build(),
                ContentTemplate.builder("everything", "es").variable("1", "Ada").text("Hola {{1}}.")
                        .type(Samples.menu().types().get(0)).type(Samples.delivery().types().get(0))
                        .type(Samples.offer().types().get(0)).build());
        for (ContentTemplate t : minimal) {
            JsonNode body = JSON.readTree(t.createRequestJson());
            assertEquals(List.of(), ContentApiSpec.violations(schema, body), t + ": " + body);
        }
    }

    @Test
    void everyKnownTypeIsATypeOfTheSpec() {
        Set<String> specTypes = new TreeSet<>();
        ContentApiSpec.schema("types").path("properties").fieldNames().forEachRemaining(specTypes::add);
        assertTrue(specTypes.containsAll(ContentJson.KNOWN_TYPES), specTypes.toString());
    }

    @Test
    void theValidatorRefusesWhatTheSchemaRefuses() throws Exception {
        JsonNode schema = ContentApiSpec.requestSchema("/v1/Content", "post");
        JsonNode bad = JSON.readTree("{\"friendly_name\":\"x\",\"types\":{\"twilio/quick-reply\":{\"body\":\"hi\","
                + "\"actions\":[{\"label\":\"Yes\"}]},\"twilio/unknown\":{}},\"variables\":{\"1\":2}}");
        assertEquals(List.of("$: required property language is missing",
                "$.types.twilio/quick-reply.actions[0]: required property title is missing",
                "$.types.twilio/quick-reply.actions[0].label: not a property of the schema",
                "$.types.twilio/unknown: not a property of the schema",
                "$.variables.1: NUMBER where the schema has string"), ContentApiSpec.violations(schema, bad));
    }

    @Test
    void theApprovalRequestTakesANameAndACategory() {
        JsonNode schema = ContentApiSpec.requestSchema("/v1/Content/{ContentSid}/ApprovalRequests/whatsapp", "post");
        assertEquals(List.of(), ContentApiSpec.violations(schema, JSON.createObjectNode()
                .put("name", "appointment_confirmation").put("category", "UTILITY")));
    }

    @Test
    void aFetchedContentResourceHasTheFieldsDifferencesCompares() {
        Set<String> props = new TreeSet<>();
        ContentApiSpec.schema("content.v1.content").path("properties").fieldNames().forEachRemaining(props::add);
        assertTrue(props.containsAll(List.of("friendly_name", "language", "variables", "types")), props.toString());
    }
}
