package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.Settlement;
import org.twiliochannels.core.TwilioAccount;

/**
 * The library's own reader of the message log ({@link TwilioAccount#settle}) against the fake: the
 * list shape, filters and pages are what a real consumer needs, for each side of the ambiguity.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SettleAgainstFakeTest {
    private static final PhoneNumber ADA = PhoneNumber.of("+14155550101");
    private static final Optional<Address> FROM = Optional.of(FakeTwilio.DEFAULT_SMS_NUMBER);

    private FakeTwilio twilio;
    private TwilioRestClient raw;
    private TwilioAccount account;

    @BeforeEach
    void start() {
        twilio = FakeTwilio.start();
        raw = new TwilioRestClient.Builder(twilio.accountSid().value(), twilio.authToken().revealSecret())
                .httpClient(new SdkHttpClient(twilio.baseUrl())).build();
        account = TwilioAccount.open(twilio.config().readTimeout(Duration.ofMillis(500))
                .retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).build()).build());
    }

    @AfterEach
    void stop() {
        account.close();
        twilio.close();
    }

    private void sendRaw(PhoneNumber to, String body) {
        Message.creator(new com.twilio.type.PhoneNumber(to.value()),
                new com.twilio.type.PhoneNumber(FakeTwilio.DEFAULT_SMS_NUMBER.value()), body).create(raw);
    }

    private static SettleQuery query(String body, Optional<Address> from, Instant notBefore, Instant notAfter) {
        return SettleQuery.of(org.twiliochannels.core.Message.text(ADA.value(), body), from, notBefore, notAfter);
    }

    @Test
    void createdThenDroppedIsFoundWithItsSid() {
        twilio.failNext(Fault.disconnectAfterCreate());
        Instant before = Instant.now();
        try {
            sendRaw(ADA, "Your table is ready");
        } catch (UncheckedIOException expected) {
            // the answer was lost
        }
        Settlement s = account.settle(query("Your table is ready", FROM, before, Instant.now()));

        MessageSid created = twilio.sentTo(ADA).get(0).sid().transform(MessageSid::of);
        assertEquals(created, assertInstanceOf(Settlement.Found.class, s).state().sid());
        assertEquals(1, twilio.createdCount(ADA));
    }

    @Test
    void droppedBeforeCreateIsAbsent() {
        twilio.failNext(Fault.disconnectAfterRequest());
        Instant before = Instant.now();
        try {
            sendRaw(ADA, "Your table is ready");
        } catch (UncheckedIOException expected) {
            // the answer was lost
        }
        assertInstanceOf(Settlement.Absent.class, account.settle(query("Your table is ready", FROM, before,
                Instant.now())));
        ApiRequest read = twilio.requests().get(1);
        assertEquals(ApiRequest.Kind.LIST_MESSAGES, read.kind());
        assertEquals(Optional.of(ADA.value()), read.to());
    }

    @Test
    void anIdenticalBodySentEarlierIsNotTakenForTheLostOne() {
        twilio.seedMessage(PastMessage.to(ADA).body("Your code is 1234").createdAt(Instant.now().minusSeconds(3600)));
        Instant before = Instant.now();
        assertInstanceOf(Settlement.Absent.class, account.settle(query("Your code is 1234", FROM, before,
                Instant.now())));

        twilio.seedMessage(PastMessage.to(ADA).body("Your code is 1234").status(org.twiliochannels.core.MessageStatus.QUEUED));
        twilio.seedMessage(PastMessage.to(ADA).body("Your code is 1234").status(org.twiliochannels.core.MessageStatus.QUEUED));
        Settlement twice = account.settle(query("Your code is 1234", FROM, before, Instant.now()));
        assertEquals(2, assertInstanceOf(Settlement.Unknown.class, twice).candidates().size());
    }

    @Test
    void theMatchOnTheSecondPageIsFound() {
        Instant before = Instant.now();
        sendRaw(ADA, "the one");
        Instant after = Instant.now();
        Instant later = after.plus(Duration.ofHours(2));
        for (int i = 0; i < 120; i++) {
            twilio.seedMessage(PastMessage.to(ADA).body("later " + i).createdAt(later.plusSeconds(i)));
        }
        int readsBefore = twilio.requests().size();

        Settlement s = account.settle(query("the one", FROM, before, after));

        assertEquals(twilio.sentTo(ADA).get(0).sid(), assertInstanceOf(Settlement.Found.class, s).state().sid().value());
        List<ApiRequest> reads = twilio.requests().subList(readsBefore, twilio.requests().size());
        assertEquals(2, reads.size(), reads.toString());
        assertTrue(reads.get(1).params().first("PageToken").isPresent(), reads.toString());
    }

    @Test
    void aMessagingServiceSendIsSettledByToAlone() {
        Instant before = Instant.now();
        MessageSid sid = twilio.seedMessage(PastMessage.to(ADA).body("hello")
                .messagingService(MessagingServiceSid.of("MG0123456789abcdef0123456789abcdef"))
                .status(org.twiliochannels.core.MessageStatus.ACCEPTED));
        Settlement s = account.settle(query("hello", Optional.empty(), before, Instant.now()));
        assertEquals(sid, assertInstanceOf(Settlement.Found.class, s).state().sid());
        assertTrue(twilio.requests().get(0).params().first("From").isEmpty());
    }

    @Test
    void anUnreadableLogLeavesItUnknown() {
        Instant before = Instant.now();
        sendRaw(ADA, "x");
        twilio.failListFor(ADA, Fault.serverError(503));
        Settlement s = account.settle(query("x", FROM, before, Instant.now()));
        assertInstanceOf(Settlement.Unknown.class, s);
        Set<ApiRequest.Kind> kinds = new HashSet<>();
        twilio.requests().forEach(r -> kinds.add(r.kind()));
        assertEquals(Set.of(ApiRequest.Kind.CREATE_MESSAGE, ApiRequest.Kind.LIST_MESSAGES), kinds);
    }

    @Test
    void aLogReadThatTimesOutLeavesItUnknown() {
        Instant before = Instant.now();
        sendRaw(ADA, "x");
        twilio.failListFor(ADA, Fault.delay(Duration.ofSeconds(2)));
        assertInstanceOf(Settlement.Unknown.class, account.settle(query("x", FROM, before, Instant.now())));
    }
}
