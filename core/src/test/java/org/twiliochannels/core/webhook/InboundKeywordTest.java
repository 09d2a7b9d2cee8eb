package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.webhook.InboundMessage.Keyword;

/** {@link InboundMessage#keyword()} and {@link InboundMessage#optOutType()} as Twilio defines them. */
class InboundKeywordTest {

    private static InboundMessage sms(String body, Map<String, String> extra) {
        Map<String, String> p = new java.util.HashMap<>(Webhooks.smsInbound(body));
        p.putAll(extra);
        return new InboundMessage(Webhooks.MESSAGE_SID, Webhooks.FROM, "+14155550100", body, List.of(), p);
    }

    @Test
    void revokeAndOptOutAreOptOutKeywordsSinceMay2025() {
        assertEquals(Optional.of(Keyword.STOP), sms("REVOKE", Map.of()).keyword());
        assertEquals(Optional.of(Keyword.STOP), sms("optout", Map.of()).keyword());
        assertEquals(Optional.empty(), sms("OPT OUT", Map.of()).keyword(), "Twilio does not match with a space");
    }

    @Test
    void lookAlikeLettersAreNoKeyword() {
        assertEquals(Optional.empty(), sms("qu\u0131t", Map.of()).keyword(), "dotless i upper-cases to I");
        assertEquals(Optional.empty(), sms("\u017Ftop", Map.of()).keyword(), "long s upper-cases to S");
        assertEquals(Optional.empty(), sms("\uFF33\uFF34\uFF2F\uFF30", Map.of()).keyword(), "full-width STOP");
    }

    @Test
    void optOutTypeIsExposedAndWins() {
        InboundMessage custom = sms("ARRETE", Map.of("OptOutType", "STOP"));
        assertEquals(Optional.of("STOP"), custom.optOutType());
        assertEquals(Optional.of(Keyword.STOP), custom.keyword());
        assertEquals(Optional.empty(), sms("hi", Map.of()).optOutType());
        assertEquals(Optional.of(Keyword.START), sms("UNSTOP", Map.of("OptOutType", "SOMETHING_NEW")).keyword(),
                "an OptOutType the library does not know falls back to the body");
    }

    @Test
    void aSignedStopToAServiceNumberOptsTheSenderOutOfTheWholeService() {
        Map<String, String> p = Webhooks.smsInbound("Cancel");
        p.put("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef");
        p.put("OptOutType", "STOP");
        InboundMessage m = (InboundMessage) Webhooks.verifier().build().verify(Webhooks.signed(Webhooks.URL, p));
        ConsentLedger ledger = ConsentLedger.inMemory();
        ledger.record(ConsentChange.of(m, Instant.parse("2026-12-04T10:00:00Z")).orElseThrow());
        ConsentScope service = ConsentScope.service(AccountSid.of(TestValues.ACCOUNT_SID), "sms",
                MessagingServiceSid.of("MG0123456789abcdef0123456789abcdef"));
        assertTrue(ledger.isOptedOut(service, PhoneNumber.of(Webhooks.FROM)));
        assertFalse(ledger.isOptedOut(ConsentScope.sender(service.account(), "sms",
                PhoneNumber.of(TestValues.SMS_FROM)), PhoneNumber.of(Webhooks.FROM)));
    }
}
