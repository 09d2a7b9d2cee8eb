package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.PhoneNumber;

/** Faults on both sides of an ambiguous failure, faults on reads of the log, and the request sequence. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AmbiguityFaultsTest {
    private static final PhoneNumber ADA = PhoneNumber.of("+14155550101");
    private static final PhoneNumber GRACE = PhoneNumber.of("+14155550102");

    private FakeTwilio twilio;
    private TwilioRestClient client;

    @BeforeEach
    void start() {
        twilio = FakeTwilio.start();
        client = new TwilioRestClient.Builder(twilio.accountSid().value(), twilio.authToken().revealSecret())
                .httpClient(new SdkHttpClient(twilio.baseUrl())).build();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private Message send(PhoneNumber to, String body) {
        return Message.creator(new com.twilio.type.PhoneNumber(to.value()),
                new com.twilio.type.PhoneNumber(FakeTwilio.DEFAULT_SMS_NUMBER.value()), body).create(client);
    }

    private List<String> logOf(PhoneNumber to) {
        return StreamSupport.stream(Message.reader().setTo(new com.twilio.type.PhoneNumber(to.value())).read(client)
                .spliterator(), false).map(Message::getSid).toList();
    }

    private ApiRequest last() {
        List<ApiRequest> all = twilio.requests();
        return all.get(all.size() - 1);
    }

    @Test
    void disconnectAfterCreateLeavesTheMessageInTheLogAndNoAnswer() {
        twilio.failNext(Fault.disconnectAfterCreate());
        assertThrows(UncheckedIOException.class, () -> send(ADA, "hi"));

        ApiRequest create = last();
        assertTrue(create.dropped());
        assertEquals(Optional.of(Fault.Kind.DISCONNECT_AFTER_CREATE), create.fault().map(Fault::kind));
        assertEquals(1, twilio.createdCount(ADA));
        assertEquals(List.of(create.created().orElseThrow().value()), logOf(ADA));
        assertTrue(twilio.createRequests().get(0).stored());
    }

    @Test
    void disconnectAfterRequestCreatesNothing() {
        twilio.failNext(Fault.disconnectAfterRequest());
        assertThrows(UncheckedIOException.class, () -> send(ADA, "hi"));

        assertTrue(last().dropped());
        assertEquals(Optional.empty(), last().created());
        assertEquals(0, twilio.createdCount(ADA));
        assertEquals(List.of(), logOf(ADA));
    }

    @Test
    void serverErrorAfterCreateAnswers5xxForAMessageThatExists() {
        twilio.failNext(Fault.serverErrorAfterCreate(503));
        ApiException e = assertThrows(ApiException.class, () -> send(ADA, "hi"));
        assertEquals(503, e.getStatusCode());
        assertEquals(20500, e.getCode());
        assertEquals(1, twilio.createdCount(ADA));
        assertEquals(1, logOf(ADA).size());
    }

    @Test
    void serverErrorCreatesNothing() {
        twilio.failNext(Fault.serverError(503));
        assertEquals(503, assertThrows(ApiException.class, () -> send(ADA, "hi")).getStatusCode());
        assertEquals(0, twilio.createdCount(ADA));
        assertEquals(List.of(), logOf(ADA));
    }

    @Test
    void faultsAfterCreateCreateOnlyWhatTwilioWouldAccept() {
        twilio.failFor(PhoneNumber.of("+15005550001"), Fault.serverErrorAfterCreate(502));
        assertEquals(502, assertThrows(ApiException.class, () -> send(PhoneNumber.of("+15005550001"), "x"))
                .getStatusCode());
        assertEquals(List.of(), twilio.sent(), "Twilio refuses the magic invalid number, so nothing exists");
        assertFalse(twilio.createRequests().get(0).stored());
    }

    @Test
    void delayedAnswerStillCreatesTheMessage() {
        twilio.failNext(Fault.delay(Duration.ofMillis(300)));
        Message m = send(ADA, "late");
        assertEquals(201, last().status());
        assertEquals(m.getSid(), last().created().orElseThrow().value());
    }

    @Test
    void listFaultsMakeTheLogUnreadableOnceOrForOneRecipient() {
        send(ADA, "a");
        send(GRACE, "g");
        twilio.failNextList(Fault.serverError(503));
        assertEquals(503, assertThrows(ApiException.class, () -> logOf(ADA)).getStatusCode());
        assertEquals(1, logOf(ADA).size(), "only the next read failed");

        twilio.failListFor(ADA, Fault.disconnectAfterRequest());
        assertThrows(UncheckedIOException.class, () -> logOf(ADA));
        assertThrows(UncheckedIOException.class, () -> logOf(ADA));
        assertEquals(1, logOf(GRACE).size(), "another recipient's log reads normally");
        assertEquals(2, twilio.sent().size(), "reads create nothing");

        twilio.clearFaults();
        assertEquals(1, logOf(ADA).size());
    }

    @Test
    void malformedListAnswerIsUnreadable() {
        send(ADA, "a");
        twilio.failNextList(Fault.malformedSuccess());
        assertThrows(RuntimeException.class, () -> logOf(ADA));
        assertEquals(200, last().status());
        assertEquals(ApiRequest.Kind.LIST_MESSAGES, last().kind());
    }

    @Test
    void faultsThatCreateAreRefusedForReads() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> twilio.failListFor(ADA, Fault.disconnectAfterCreate()));
        assertEquals("Fault[DISCONNECT_AFTER_CREATE] creates a message, and a message list creates nothing; use"
                + " Fault.disconnectAfterRequest() for a read. Valid: [RATE_LIMITED, SERVER_ERROR, HTML_ERROR,"
                + " REDIRECT, DISCONNECT_AFTER_REQUEST, DELAY, MALFORMED_SUCCESS]", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> twilio.failNextList(Fault.serverErrorAfterCreate(500)));
        assertTrue(e2.getMessage().contains("use Fault.serverError(500) for a read"), e2.getMessage());
    }

    @Test
    void requestsAreRecordedInOrderWithKindStatusAndFault() {
        twilio.failNext(Fault.rateLimited(Duration.ZERO));
        assertThrows(ApiException.class, () -> send(ADA, "hi"));
        Message m = send(ADA, "hi");
        logOf(ADA);
        Message.fetcher(m.getSid()).fetch(client);

        List<ApiRequest> all = twilio.requests();
        assertEquals(List.of(ApiRequest.Kind.CREATE_MESSAGE, ApiRequest.Kind.CREATE_MESSAGE,
                ApiRequest.Kind.LIST_MESSAGES, ApiRequest.Kind.FETCH_MESSAGE), all.stream().map(ApiRequest::kind).toList());
        assertEquals(List.of(429, 201, 200, 200), all.stream().map(ApiRequest::status).toList());
        assertEquals(Optional.of(Fault.Kind.RATE_LIMITED), all.get(0).fault().map(Fault::kind));
        assertEquals("POST", all.get(1).method());
        assertEquals(Optional.of(ADA.value()), all.get(2).to());
        assertEquals("GET", all.get(3).method());
    }

    @Test
    void resendAfterAnUncertainAnswerWithoutALookUpIsReported() {
        twilio.failNext(Fault.serverError(503));
        assertThrows(ApiException.class, () -> send(ADA, "hi"));
        send(ADA, "hi");

        AssertionError e = assertThrows(AssertionError.class, twilio::assertNoResendWithoutLookup);
        assertTrue(e.getMessage().startsWith("Expected every resend after an uncertain answer to follow a look-up of"
                + " the message log for its recipient, but 1 did not:"), e.getMessage());
        assertTrue(e.getMessage().contains("#0 POST /2010-04-01/Accounts/" + twilio.accountSid()
                + "/Messages.json To=+14155550101 -> 503 Fault[SERVER_ERROR 503], then #1 POST"), e.getMessage());
    }

    @Test
    void resendAfterALookUpOfThatRecipientIsFine() {
        twilio.failNext(Fault.disconnectAfterRequest());
        assertThrows(UncheckedIOException.class, () -> send(ADA, "hi"));
        assertEquals(List.of(), logOf(ADA));
        send(ADA, "hi");
        twilio.assertNoResendWithoutLookup();
        assertEquals(1, twilio.createdCount(ADA));
    }

    @Test
    void aLookUpOfAnotherRecipientOrAFailedLookUpDoesNotCount() {
        twilio.failNext(Fault.disconnectAfterRequest());
        assertThrows(UncheckedIOException.class, () -> send(ADA, "hi"));
        logOf(GRACE);
        twilio.failNextList(Fault.serverError(500));
        assertThrows(ApiException.class, () -> logOf(ADA));
        send(ADA, "hi");
        assertThrows(AssertionError.class, twilio::assertNoResendWithoutLookup);
    }

    @Test
    void cleanAnswersCloseTheQuestion() {
        twilio.failNext(Fault.rateLimited(Duration.ZERO));
        assertThrows(ApiException.class, () -> send(ADA, "hi"));
        send(ADA, "hi");
        send(ADA, "hi");
        twilio.assertNoResendWithoutLookup();
        assertEquals(2, twilio.createdCount(ADA), "two identical messages sent on purpose");
        assertEquals(0, twilio.createdCount(GRACE));
    }

    @Test
    void faultMixKeepsTheStoreAndTheRecordsInAgreement() {
        twilio.failFraction(0.6, 11, Fault.serverError(500), Fault.serverErrorAfterCreate(503),
                Fault.disconnectAfterRequest(), Fault.disconnectAfterCreate(), Fault.rateLimited(Duration.ZERO));
        int answered = 0;
        for (int i = 0; i < 40; i++) {
            try {
                send(PhoneNumber.of("+1415555" + String.format("%04d", 1000 + i)), "n" + i);
                answered++;
            } catch (RuntimeException e) {
                // a fault; the log says what happened
            }
        }
        List<CreateRequest> creates = twilio.createRequests();
        assertEquals(40, creates.size());
        long stored = creates.stream().filter(CreateRequest::stored).count();
        assertEquals(stored, twilio.sent().size());
        assertEquals(stored, StreamSupport.stream(Message.reader().read(client).spliterator(), false).count());
        long createdBehindAFault = creates.stream().filter(r -> r.stored() && r.fault().isPresent()).count();
        assertEquals(answered + createdBehindAFault, stored);
        assertTrue(createdBehindAFault > 0 && answered > 0, "the seed plays both kinds: " + creates);
    }

    @Test
    void concurrentRequestsAreEachRecordedOnceAndAgreeWithTheLog() throws Exception {
        twilio.failFraction(0.5, 3, Fault.serverErrorAfterCreate(503), Fault.disconnectAfterCreate(),
                Fault.disconnectAfterRequest(), Fault.serverError(500), Fault.rateLimited(Duration.ZERO));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                PhoneNumber to = PhoneNumber.of("+1415556" + String.format("%04d", i % 20));
                String body = "n" + i;
                done.add(pool.submit(() -> {
                    try {
                        send(to, body);
                    } catch (RuntimeException e) {
                        // a fault
                    }
                    logOf(to);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<ApiRequest> all = twilio.requests();
        assertEquals(320, all.size());
        assertEquals(twilio.requestCount(), all.size());
        assertEquals(160, all.stream().filter(r -> r.kind() == ApiRequest.Kind.CREATE_MESSAGE).count());
        List<String> created = all.stream().flatMap(r -> r.created().stream()).map(MessageSid::value).sorted().toList();
        assertEquals(created, twilio.sent().stream().map(SentMessage::sid).sorted().toList());
        assertEquals(created.size(), StreamSupport.stream(Message.reader().setPageSize(1000L).read(client)
                .spliterator(), false).count());
        int perRecipient = 0;
        for (int i = 0; i < 20; i++) {
            perRecipient += twilio.createdCount(PhoneNumber.of("+1415556" + String.format("%04d", i)));
        }
        assertEquals(created.size(), perRecipient);
    }
}
