package org.twiliochannels.core.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsentLedgerTest {
    static final AccountSid ACCOUNT = AccountSid.of("AC00000000000000000000000000000001");
    static final MessagingServiceSid SERVICE = MessagingServiceSid.of("MG0123456789abcdef0123456789abcdef");
    static final PhoneNumber ADA = PhoneNumber.of("+14155551234");
    static final PhoneNumber OUR_NUMBER = PhoneNumber.of("+15005550006");
    static final ConsentScope SMS_SERVICE = ConsentScope.service(ACCOUNT, "sms", SERVICE);
    static final ConsentScope SMS_NUMBER = ConsentScope.sender(ACCOUNT, "sms", OUR_NUMBER);
    static final ConsentSource.Keyword STOP = new ConsentSource.Keyword("STOP", MessageSid.of(OptOutKeywordsTest.SID));
    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void theLatestChangeIsInForcePerScopeAndChannelsAreApart() {
        ConsentLedger ledger = ConsentLedger.inMemory();
        assertEquals(Optional.empty(), ledger.status(SMS_SERVICE, ADA));
        ledger.record(ConsentChange.optOut(ADA, SMS_SERVICE, STOP, T0));
        assertTrue(ledger.isOptedOut(SMS_SERVICE, ADA));
        assertFalse(ledger.isOptedOut(SMS_NUMBER, ADA), "a number outside the service is another scope");
        ConsentScope whatsapp = ConsentScope.service(ACCOUNT, "whatsapp", SERVICE);
        assertFalse(ledger.isOptedOut(whatsapp, WhatsAppAddress.of(ADA)), "channels are separate");
        ConsentScope otherAccount = ConsentScope.service(AccountSid.of("AC00000000000000000000000000000002"), "sms", SERVICE);
        assertFalse(ledger.isOptedOut(otherAccount, ADA), "accounts are separate");

        ledger.record(ConsentChange.optIn(ADA, SMS_SERVICE, new ConsentSource.Api("support:alice", "asked by phone"),
                T0.plusSeconds(60)));
        assertFalse(ledger.isOptedOut(SMS_SERVICE, ADA));
        ledger.record(ConsentChange.optOut(ADA, SMS_SERVICE, new ConsentSource.Error21610(), T0.plusSeconds(30)));
        assertEquals(ConsentState.OPTED_IN, ledger.status(SMS_SERVICE, ADA).orElseThrow().state(),
                "a change recorded late but dated earlier does not override a later one");
        assertEquals(List.of(T0, T0.plusSeconds(30), T0.plusSeconds(60)),
                ledger.history(ADA).stream().map(ConsentChange::at).toList(), "history is oldest first");
        assertEquals(1, ledger.current().size());
    }

    @Test
    void ofTwoChangesAtTheSameInstantTheOneRecordedLastIsInForce() {
        ConsentLedger ledger = ConsentLedger.inMemory();
        ledger.record(ConsentChange.optOut(ADA, SMS_SERVICE, STOP, T0));
        ledger.record(ConsentChange.optIn(ADA, SMS_SERVICE, new ConsentSource.Api("crm", ""), T0));
        assertFalse(ledger.isOptedOut(SMS_SERVICE, ADA));
        ledger.record(ConsentChange.optOut(ADA, SMS_SERVICE, new ConsentSource.Error21610(), T0));
        assertTrue(ledger.isOptedOut(SMS_SERVICE, ADA));
    }

    @Test
    void anOptedOutRecipientIsRefusedWithScopeAndHowTheyOptedOut() {
        ConsentLedger ledger = ConsentLedger.inMemory();
        ledger.record(ConsentChange.optOut(ADA, SMS_SERVICE, STOP, T0));
        RecipientOptedOutException e = assertThrows(RecipientOptedOutException.class,
                () -> ledger.requireConsent(SMS_SERVICE, ADA));
        assertEquals("not sent: +1415***1234 opted out of sms messages from Messaging Service"
                + " MG0123456789abcdef0123456789abcdef (account AC00000000000000000000000000000001) at"
                + " 2026-12-04T10:00:00Z, by replying STOP (message SM0123456789abcdef0123456789abcdef); no request"
                + " was made. They can be messaged again once they reply START or you record their consent in the"
                + " ConsentLedger.", e.getMessage());
        assertFalse(e.mayHaveBeenSent());
        ledger.requireConsent(SMS_NUMBER, ADA);

        ledger.record(ConsentChange.optOut(ADA, SMS_NUMBER, new ConsentSource.Api("crm", "email"), T0));
        assertTrue(assertThrows(RecipientOptedOutException.class, () -> ledger.requireConsent(SMS_NUMBER, ADA))
                .getMessage().contains("from sender +15005550006 (account AC00000000000000000000000000000001) at"
                        + " 2026-12-04T10:00:00Z, as recorded by crm;"));
    }

    @Test
    void anInboundStopBecomesAChangeInItsServiceAndStartLiftsIt() {
        ConsentLedger ledger = ConsentLedger.inMemory();
        var stop = OptOutKeywordsTest.inbound("+14155551234", "Stop", Map.of("MessagingServiceSid", SERVICE.value()));
        ConsentChange change = ConsentChange.of(stop, T0).orElseThrow();
        assertEquals(SMS_SERVICE, change.scope());
        assertEquals(ADA, change.recipient());
        assertEquals(STOP, change.source());
        ledger.record(change);
        assertTrue(ledger.isOptedOut(SMS_SERVICE, ADA));

        var noService = OptOutKeywordsTest.inbound("whatsapp:+14155551234", "optout", Map.of());
        ConsentChange wa = ConsentChange.of(noService, T0).orElseThrow();
        assertEquals(ConsentScope.sender(ACCOUNT, "whatsapp", OUR_NUMBER), wa.scope(),
                "not in a service: the number it was sent to");
        assertEquals(WhatsAppAddress.of(ADA), wa.recipient());

        ledger.record(ConsentChange.of(OptOutKeywordsTest.inbound("+14155551234", "UNSTOP",
                Map.of("MessagingServiceSid", SERVICE.value())), T0.plusSeconds(5)).orElseThrow());
        assertFalse(ledger.isOptedOut(SMS_SERVICE, ADA));
        assertEquals(Optional.empty(), ConsentChange.of(OptOutKeywordsTest.inbound("+14155551234", "HELP", Map.of()), T0));
        assertEquals(Optional.empty(), ConsentChange.of(OptOutKeywordsTest.inbound("+14155551234", "stop it", Map.of()), T0));
    }

    @Test
    void changesThatContradictTheirSourceAreRefused() {
        assertEquals("state OPTED_IN contradicts source keyword STOP, which means OPTED_OUT",
                assertThrows(IllegalArgumentException.class, () -> ConsentChange.optIn(ADA, SMS_SERVICE, STOP, T0)).getMessage());
        assertEquals("state OPTED_IN contradicts source error 21610, which only means OPTED_OUT",
                assertThrows(IllegalArgumentException.class,
                        () -> ConsentChange.optIn(ADA, SMS_SERVICE, new ConsentSource.Error21610(), T0)).getMessage());
        assertEquals("source keyword HELP is a help keyword; help changes no consent, so record nothing for it",
                assertThrows(IllegalArgumentException.class, () -> ConsentChange.optOut(ADA, SMS_SERVICE,
                        new ConsentSource.Keyword("HELP", STOP.messageSid()), T0)).getMessage());
        assertEquals("recipient +1415***1234 does not fit channel \"whatsapp\": use a whatsapp: address for the"
                + " whatsapp channel and only there", assertThrows(IllegalArgumentException.class,
                () -> ConsentChange.optOut(ADA, ConsentScope.service(ACCOUNT, "whatsapp", SERVICE), STOP, T0)).getMessage());
        assertEquals("who must name who recorded the change (an operator or a system), e.g. \"support:alice\"; it is"
                + " part of the audit trail", assertThrows(IllegalArgumentException.class,
                () -> new ConsentSource.Api(" ", "")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConsentSource.Keyword("PLEASE STOP",
                STOP.messageSid())).getMessage().startsWith("keyword \"PLEASE STOP\" is none of Twilio's default keywords"));
        assertEquals("channel \"SMS\" must be a channel id: lower-case letters, digits and '-', starting with a"
                + " letter, e.g. \"sms\" or \"whatsapp\"", assertThrows(IllegalArgumentException.class,
                () -> new ConsentScope(ACCOUNT, "SMS", "+15005550006")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConsentScope(ACCOUNT, "sms", "our number"))
                .getMessage().startsWith("sender \"our number\" must be a Messaging Service SID (MG…), a short code or"));
        assertEquals("AC00000000000000000000000000000001/sms/12345", new ConsentScope(ACCOUNT, "sms", "12345").key());
    }

    @Test
    void csvExportQuotesMasksAndDefusesFormulas() throws Exception {
        ConsentLedger ledger = ConsentLedger.inMemory();
        ledger.record(ConsentChange.optIn(ADA, SMS_NUMBER, new ConsentSource.Api("=cmd", "said \"ok\", by phone"),
                T0.plusSeconds(1)));
        ledger.record(ConsentChange.optOut(ADA, SMS_SERVICE, STOP, T0));
        StringBuilder masked = new StringBuilder();
        ledger.exportCsv(masked, true);
        assertEquals("at,recipient,account,channel,sender,state,source,keyword,message_sid,who,note\r\n"
                + "2026-12-04T10:00:00Z,+1415***1234,AC00000000000000000000000000000001,sms,"
                + "MG0123456789abcdef0123456789abcdef,OPTED_OUT,keyword,STOP,SM0123456789abcdef0123456789abcdef,,\r\n"
                + "2026-12-04T10:00:01Z,+1415***1234,AC00000000000000000000000000000001,sms,+15005550006,OPTED_IN,api,,,"
                + "'=cmd,\"said \"\"ok\"\", by phone\"\r\n", masked.toString());
        StringBuilder full = new StringBuilder();
        ledger.exportCsv(full, false);
        assertTrue(full.toString().contains(",+14155551234,"));
        assertFalse(full.toString().contains("***"));
    }

    @Test
    void csvExportWritesTheContextOfA21610() throws Exception {
        ConsentLedger ledger = ConsentLedger.inMemory();
        ledger.record(ConsentChange.optOut(ADA, SMS_SERVICE, new ConsentSource.Error21610(
                Optional.of(MessageSid.of(OptOutKeywordsTest.SID)), "status callback: message failed with error 21610"), T0));
        ledger.record(ConsentChange.optOut(ADA, SMS_NUMBER, new ConsentSource.Error21610(), T0.plusSeconds(1)));
        StringBuilder csv = new StringBuilder();
        ledger.exportCsv(csv, true);
        assertEquals("at,recipient,account,channel,sender,state,source,keyword,message_sid,who,note\r\n"
                + "2026-12-04T10:00:00Z,+1415***1234,AC00000000000000000000000000000001,sms,"
                + "MG0123456789abcdef0123456789abcdef,OPTED_OUT,error-21610,,SM0123456789abcdef0123456789abcdef,,"
                + "status callback: message failed with error 21610\r\n"
                + "2026-12-04T10:00:01Z,+1415***1234,AC00000000000000000000000000000001,sms,+15005550006,OPTED_OUT,"
                + "error-21610,,,,\r\n", csv.toString());
    }

    @Test
    void toStringNeverShowsTheRecipient() {
        String text = ConsentChange.optOut(ADA, SMS_SERVICE, new ConsentSource.Api("a", "called from +14155551234"), T0)
                .toString();
        assertFalse(text.contains("4155551234"), text);
        assertTrue(text.contains("+1415***1234"), text);
    }

    @Test
    void recordsFromManyThreadsAreAllKept() throws Exception {
        ConsentLedger ledger = ConsentLedger.inMemory();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        PhoneNumber n = PhoneNumber.of("+1415555" + String.format("%04d", thread * 1000 + i));
                        ledger.record(ConsentChange.optOut(n, SMS_SERVICE, STOP, T0.plusSeconds(i)));
                        assertTrue(ledger.isOptedOut(SMS_SERVICE, n));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4000, ledger.changes().size());
        assertEquals(4000, ledger.current().size());
    }
}
