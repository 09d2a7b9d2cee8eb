package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definition file: read as written, and every error names the file, the template and the field. */
class ContentTemplatesTest {
    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        return Files.writeString(dir.resolve("templates.json"), json, StandardCharsets.UTF_8);
    }

    private String error(String json) throws IOException {
        Path f = file(json);
        return assertThrows(InvalidTemplateException.class, () -> ContentTemplates.read(f)).getMessage()
                .replace(f.toString(), "templates.json");
    }

    private static String one(String template) {
        return "{\"templates\": [" + template + "]}";
    }

    @Test
    void readsWhatCreateRequestJsonWrites() throws IOException {
        String all = Samples.all().stream().map(ContentTemplate::createRequestJson)
                .collect(Collectors.joining(",\n", "{\"templates\": [\n", "\n]}"));
        assertEquals(Samples.all(), ContentTemplates.read(file(all)));
    }

    @Test
    void readsTheDocumentedExample() {
        String json = """
                {
                  "templates": [
                    {
                      "friendly_name": "appointment_confirmation",
                      "language": "en",
                      "variables": {"1": "Ada", "2": "Tuesday 3 pm"},
                      "types": {
                        "twilio/quick-reply": {
                          "body": "Hi {{1}}, your appointment is on {{2}}. Can you make it?",
                          "actions": [
                            {"id": "confirm", "title": "Yes, I'll be there"},
                            {"id": "reschedule", "title": "Reschedule"}
                          ]
                        },
                        "twilio/text": {"body": "Hi {{1}}, your appointment is on {{2}}. Reply YES to confirm."}
                      }
                    }
                  ]
                }
                """;
        List<ContentTemplate> read = ContentTemplates.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                "classpath:templates.json");
        assertEquals(List.of(Samples.appointmentConfirmation()), read);
    }

    @Test
    void anUnknownTypeListsTheKnownTypes() throws IOException {
        assertEquals("templates.json: template \"store\" (en): types.twilio/carousel: is not a content type this library"
                + " knows; the known types are twilio/text, twilio/media, twilio/quick-reply, twilio/list-picker,"
                + " twilio/call-to-action, twilio/card, whatsapp/authentication.",
                error(one("{\"friendly_name\": \"store\", \"language\": \"en\", \"types\": {\"twilio/carousel\": {}}}")));
    }

    @Test
    void aLimitBrokenInTheFileNamesFileTemplateAndField() throws IOException {
        assertEquals("templates.json: template \"confirm\" (en): types.twilio/quick-reply.actions[1].title: is 22"
                + " characters, over WhatsApp's limit of 20 for a quick-reply button title; shorten it.",
                error(one("{\"friendly_name\": \"confirm\", \"language\": \"en\", \"types\": {\"twilio/quick-reply\":"
                        + " {\"body\": \"Can you make it?\", \"actions\": [{\"id\": \"y\", \"title\": \"Yes\"},"
                        + " {\"id\": \"later\", \"title\": \"Let me check and reply\"}]}}}")));
        assertEquals("templates.json: template \"confirm\" (en): variables.1: is missing; {{1}} in"
                + " types.twilio/text.body needs an example value (WhatsApp approves a template only with samples).",
                error(one("{\"friendly_name\": \"confirm\", \"language\": \"en\","
                        + " \"types\": {\"twilio/text\": {\"body\": \"Hi {{1}}, see you.\"}}}")));
    }

    @Test
    void fieldsOfTheWrongKindOrUnknownAreNamed() throws IOException {
        assertEquals("templates.json: template \"confirm\" (en): types.twilio/text.text: is not a field here; the fields"
                + " are body.", error(one("{\"friendly_name\": \"confirm\", \"language\": \"en\","
                        + " \"types\": {\"twilio/text\": {\"text\": \"Hi\"}}}")));
        assertEquals("templates.json: template \"confirm\" (en): types.twilio/text.body: is a number; give a string.",
                error(one("{\"friendly_name\": \"confirm\", \"language\": \"en\", \"types\": {\"twilio/text\": {\"body\": 1}}}")));
        assertEquals("templates.json: templates[0].language: is missing; give a string.",
                error(one("{\"friendly_name\": \"confirm\", \"types\": {}}")));
        assertEquals("templates.json: templates[0].name: is not a field here; the fields are friendly_name, language,"
                + " variables, types.", error(one("{\"name\": \"confirm\"}")));
        assertEquals("templates.json: template \"confirm\" (en): types.twilio/call-to-action.actions[0].type: is"
                + " \"COPY_CODE\"; the button types this library knows are URL, PHONE_NUMBER and QUICK_REPLY.",
                error(one("{\"friendly_name\": \"confirm\", \"language\": \"en\", \"types\": {\"twilio/call-to-action\":"
                        + " {\"body\": \"Go\", \"actions\": [{\"type\": \"COPY_CODE\", \"title\": \"Copy\"}]}}}")));
        assertEquals("templates.json: template \"confirm\" (en): types.twilio/call-to-action.actions[0].phone: is not a"
                + " field here; the fields are type, title, url.",
                error(one("{\"friendly_name\": \"confirm\", \"language\": \"en\", \"types\": {\"twilio/call-to-action\":"
                        + " {\"body\": \"Go\", \"actions\": [{\"type\": \"URL\", \"title\": \"Go\", \"phone\": \"+14155550100\"}]}}}")));
    }

    @Test
    void theFileIsValidJsonWithATemplatesArray() throws IOException {
        assertEquals("templates.json: is not valid JSON: Unexpected character (',' (code 44)): was expecting"
                + " double-quote to start field name at line 1, column 17; fix the file.", error("{\"templates\": [{,}]}"));
        assertEquals("templates.json: is not valid JSON: Duplicate field 'body' at line 1, column 85; fix the file.",
                error(one("{\"friendly_name\": \"a\", \"types\": {\"twilio/text\": {\"body\": \"Hi\", \"body\": \"Ho\"}}}")));
        assertEquals("templates.json: templates: is missing; a definition file is a JSON object {\"templates\": [ … ]}"
                + " with one Content API create body per template.", error("[]"));
        assertEquals("templates.json: template: is not a field of a definition file; the file has only \"templates\".",
                error("{\"templates\": [], \"template\": {}}"));
    }

    @Test
    void aNameAndLanguageAreDefinedOnce() throws IOException {
        String t = "{\"friendly_name\": \"hello\", \"language\": \"en\", \"types\": {\"twilio/text\": {\"body\": \"Hi\"}}}";
        assertEquals("templates.json: templates[1]: defines \"hello\" (en) again, as templates[0] does; a friendly name"
                + " and language find one template at Twilio. Rename one.", error("{\"templates\": [" + t + ", " + t + "]}"));
        ContentTemplates.read(file("{\"templates\": [" + t + ", " + t.replace("\"en\"", "\"fr\"") + "]}"));
    }
}
