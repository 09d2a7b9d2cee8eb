package org.twiliochannels.core.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.InboundMessage.Keyword;

class OptOutKeywordsTest {
    static final String SID = "SM0123456789abcdef0123456789abcdef";

    static InboundMessage inbound(String from, String body, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("MessageSid", SID, "AccountSid", "AC00000000000000000000000000000001",
                "From", from, "To", "+15005550006", "Body", body));
        p.putAll(extra);
        return new InboundMessage(SID, from, p.get("To"), body, List.of(), p);
    }

    @Test
    void everyDefaultKeywordInAnyLetterCaseAndSurroundingWhiteSpace() {
        for (String k : List.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")) {
            assertEquals(Optional.of(Keyword.STOP), OptOutKeywords.classify(k), k);
            assertEquals(Optional.of(Keyword.STOP), OptOutKeywords.classify(" \t" + k.toLowerCase() + "\r\n"), k);
        }
        for (String k : List.of("START", "UNSTOP", "YES")) {
            assertEquals(Optional.of(Keyword.START), OptOutKeywords.classify(k), k);
        }
        assertEquals(Optional.of(Keyword.HELP), OptOutKeywords.classify("help"));
        assertEquals(Optional.of(Keyword.HELP), OptOutKeywords.classify("Info"));
        assertEquals(Optional.of(Keyword.STOP), OptOutKeywords.classify("sToP"));
        assertEquals(Optional.of("STOP"), OptOutKeywords.keyword(" sToP "));
    }

    @Test
    void onlyTheWholeBodyInAsciiLettersCounts() {
        for (String body : List.of("Stop please", "STOP.", "stop!", "OPT OUT", "opt-out", "S T O P", "", "   ",
                "\uFF33\uFF34\uFF2F\uFF30", "qu\u0131t", "\u017Ftop", "STOP STOP", "stopp", "yes please", "STOPALLX")) {
            assertEquals(Optional.empty(), OptOutKeywords.classify(body), "\"" + body + "\"");
        }
    }

    @Test
    void optOutTypeWinsOverTheBodyAndIsRecordedWhenTheBodyIsACustomKeyword() {
        InboundMessage custom = inbound("+14155551234", "ARRETE", Map.of("OptOutType", "STOP"));
        assertEquals(Optional.of(Keyword.STOP), OptOutKeywords.classify(custom));
        assertEquals(Optional.of("OptOutType=STOP"), OptOutKeywords.recordedKeyword(custom));

        InboundMessage plain = inbound("+14155551234", "stop", Map.of("OptOutType", " stop "));
        assertEquals(Optional.of("STOP"), OptOutKeywords.recordedKeyword(plain));

        InboundMessage help = inbound("+14155551234", "cancel", Map.of("OptOutType", "HELP"));
        assertEquals(Optional.of(Keyword.HELP), OptOutKeywords.classify(help), "Twilio's classification wins");
        assertEquals(Optional.of("OptOutType=HELP"), OptOutKeywords.recordedKeyword(help));

        InboundMessage unknownType = inbound("+14155551234", "end", Map.of("OptOutType", "LATER"));
        assertEquals(Optional.of(Keyword.STOP), OptOutKeywords.classify(unknownType));
        assertEquals(Optional.empty(), OptOutKeywords.classify(inbound("+14155551234", "hello", Map.of())));
    }

    @Test
    void listsAreTwiliosDefaults() {
        assertEquals(List.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
                OptOutKeywords.optOut());
        assertEquals(List.of("START", "UNSTOP", "YES"), OptOutKeywords.optIn());
        assertEquals(List.of("HELP", "INFO"), OptOutKeywords.help());
    }
}
