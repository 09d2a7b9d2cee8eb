package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Template;

class TemplateVariablesTest {
    private static final ContentSid SID = ContentSid.of("HX0123456789abcdef0123456789abcdef");

    private static void fails(String message, Executable check) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, check);
        assertEquals(message, e.getMessage());
        assertEquals("template", e.field());
    }

    @Test
    void givesTheContentVariablesInPlaceholderOrder() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("2", "Friday 10 am");
        values.put("1", "Grace");
        TemplateVariables v = TemplateVariables.of(Samples.appointmentConfirmation(), values);
        assertEquals("{\"1\":\"Grace\",\"2\":\"Friday 10 am\"}", v.json());
        Template t = v.template(SID);
        assertEquals(SID, t.sid());
        assertEquals(v.json(), t.variablesJson(), "the Message carries the same ContentVariables");
        assertEquals("TemplateVariables[1, 2]", v.toString(), "values (one-time codes) are not shown");
    }

    @Test
    void everyPlaceholderGivenAndNoneExtra() {
        fails("template: variable \"2\" is missing; template \"appointment_confirmation\" (en) has {{1}}, {{2}}. Give a"
                + " value for each.", () -> TemplateVariables.of(Samples.appointmentConfirmation(), "Grace"));
        fails("template: variable \"3\" has no placeholder in template \"appointment_confirmation\" (en), which has"
                + " {{1}}, {{2}}; remove it.",
                () -> TemplateVariables.of(Samples.appointmentConfirmation(), "Grace", "Friday", "extra"));
        fails("template: variable \"1\" has no placeholder in template \"store_menu\" (en), which has no placeholders;"
                + " remove it.", () -> TemplateVariables.of(Samples.menu(), "x"));
        assertEquals("{}", TemplateVariables.of(Samples.menu()).json());
    }

    @Test
    void valuesFollowWhatsAppsRules() {
        ContentTemplate t = Samples.delivery();
        fails("template: variable \"1\" has a tab at index 2; WhatsApp refuses newlines and tabs in a variable (Twilio"
                + " error 21656). Put line breaks in the template's text instead.", () -> TemplateVariables.of(t, "44\t71"));
        fails("template: variable \"1\" has a line break at index 2; WhatsApp refuses newlines and tabs in a variable"
                + " (Twilio error 21656). Put line breaks in the template's text instead.",
                () -> TemplateVariables.of(t, "44\r\n71"));
        TemplateVariables.of(t, "44    71"); // four spaces are allowed
        fails("template: variable \"1\" has more than 4 consecutive spaces at index 2; WhatsApp refuses them in a"
                + " variable (Twilio error 21656). Collapse the spaces.", () -> TemplateVariables.of(t, "44     71"));
        fails("template: variable \"1\" is empty; Twilio refuses an empty variable (error 21656). Give a value.",
                () -> TemplateVariables.of(t, ""));
        TemplateVariables.of(t, "x".repeat(1600));
        fails("template: variable \"1\" is 1601 characters, over Twilio's limit of 1600 for a variable value (error"
                + " 21658); shorten it.", () -> TemplateVariables.of(t, "x".repeat(1601)));
    }

    @Test
    void anAuthenticationTemplateTakesTheCodeAsVariable1() {
        assertEquals("{\"1\":\"482913\"}", TemplateVariables.of(Samples.oneTimeCode(), "482913").json());
        fails("template: variable \"1\" is missing; template \"login_code\" (en) has {{1}}. Give a value for each.",
                () -> TemplateVariables.of(Samples.oneTimeCode()));
    }
}
