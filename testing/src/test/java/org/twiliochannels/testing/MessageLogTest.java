package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.base.Page;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;

/** The message log (list, filters, pages, dates), read by the real SDK as Twilio's would be. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageLogTest {
    private static final PhoneNumber ADA = PhoneNumber.of("+14155550101");
    private static final PhoneNumber GRACE = PhoneNumber.of("+14155550102");
    private static final PhoneNumber SECOND_SENDER = PhoneNumber.of("+14155550199");
    private static final Instant START = Instant.parse("2010-08-18T20:01:40Z");

    private final MutableClock clock = new MutableClock(START);
    private FakeTwilio twilio;
    private TwilioRestClient client;

    @BeforeEach
    void start() {
        twilio = FakeTwilio.builder().clock(clock).start().ownNumber(SECOND_SENDER);
        client = new TwilioRestClient.Builder(twilio.accountSid().value(), twilio.authToken().revealSecret())
                .httpClient(new SdkHttpClient(twilio.baseUrl())).build();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private String send(PhoneNumber to, PhoneNumber from, String body) {
        return Message.creator(new com.twilio.type.PhoneNumber(to.value()), new com.twilio.type.PhoneNumber(from.value()),
                body).create(client).getSid();
    }

    private List<String> sids(MessageReader reader) {
        return StreamSupport.stream(reader.read(client).spliterator(), false).map(Message::getSid).toList();
    }

    private JsonNode get(String pathAndQuery) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(twilio.baseUrl() + pathAndQuery).toURL().openConnection();
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString((twilio.accountSid().value()
                + ":" + twilio.authToken().revealSecret()).getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
            JsonNode n = new ObjectMapper().readTree(in);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("http_status", c.getResponseCode());
            return n;
        } finally {
            c.disconnect();
        }
    }

    private String messagesPath() {
        return "/2010-04-01/Accounts/" + twilio.accountSid() + "/Messages.json";
    }

    @Test
    void listsNewestFirstWithDatesInRfc2822OnTheFakesClock() throws IOException {
        String first = send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "one");
        clock.advance(Duration.ofMinutes(5));
        String second = send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "two");
        clock.advance(Duration.ofMinutes(5));
        String third = send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "three");

        List<Message> listed = StreamSupport.stream(Message.reader().read(client).spliterator(), false).toList();
        assertEquals(List.of(third, second, first), listed.stream().map(Message::getSid).toList());
        assertEquals(ZonedDateTime.of(2010, 8, 18, 20, 11, 40, 0, ZoneOffset.UTC).toInstant(),
                listed.get(0).getDateCreated().toInstant());
        JsonNode raw = get(messagesPath());
        assertEquals("Wed, 18 Aug 2010 20:01:40 +0000", raw.path("messages").get(2).path("date_created").asText());
        assertTrue(raw.path("messages").get(2).path("date_sent").isNull(), "a queued message has no date_sent");
    }

    @Test
    void messagesCreatedInTheSameSecondListTheLaterFirst() {
        String first = send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "one");
        String second = send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "two");
        assertEquals(List.of(second, first), sids(Message.reader()));
    }

    @Test
    void filtersByToAndFrom() {
        String adaFromDefault = send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "a");
        send(GRACE, FakeTwilio.DEFAULT_SMS_NUMBER, "b");
        clock.advance(Duration.ofSeconds(1));
        String adaFromSecond = send(ADA, SECOND_SENDER, "c");

        assertEquals(List.of(adaFromSecond, adaFromDefault),
                sids(Message.reader().setTo(new com.twilio.type.PhoneNumber(ADA.value()))));
        assertEquals(List.of(adaFromSecond), sids(Message.reader().setTo(new com.twilio.type.PhoneNumber(ADA.value()))
                .setFrom(new com.twilio.type.PhoneNumber(SECOND_SENDER.value()))));
        assertEquals(List.of(), sids(Message.reader().setTo(new com.twilio.type.PhoneNumber("+14155550000"))));
    }

    @Test
    void filtersByDateSentOnTheDayAndWithInclusiveBoundsNeverMatchingUnsentMessages() {
        Instant jan4 = Instant.parse("2026-01-04T23:59:59Z");
        Instant jan5 = Instant.parse("2026-01-05T10:00:00Z");
        Instant jan6 = Instant.parse("2026-01-06T00:00:00Z");
        MessageSid sent4 = twilio.seedMessage(PastMessage.to(ADA).body("x").sentAt(jan4).createdAt(jan4));
        MessageSid sent5 = twilio.seedMessage(PastMessage.to(ADA).body("x").sentAt(jan5).createdAt(jan5));
        MessageSid sent6 = twilio.seedMessage(PastMessage.to(ADA).body("x").sentAt(jan6).createdAt(jan6));
        twilio.seedMessage(PastMessage.to(ADA).body("still queued").status(MessageStatus.QUEUED).createdAt(jan5));

        ZonedDateTime midnight5 = ZonedDateTime.parse("2026-01-05T00:00:00Z");
        assertEquals(List.of(sent5.value()), sids(Message.reader().setDateSent(midnight5)));
        assertEquals(List.of(sent5.value(), sent4.value()), sids(Message.reader()
                .setDateSentBefore(ZonedDateTime.parse("2026-01-05T10:00:00Z"))));
        assertEquals(List.of(sent6.value(), sent5.value()), sids(Message.reader()
                .setDateSentAfter(ZonedDateTime.parse("2026-01-05T10:00:00Z"))));
        assertEquals(4, sids(Message.reader()).size(), "without DateSent the queued message is listed too");
    }

    @Test
    void sdkReaderFollowsNextPageUriAcrossPages() {
        List<String> toAda = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            toAda.add(0, send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "m" + i));
            send(GRACE, FakeTwilio.DEFAULT_SMS_NUMBER, "other" + i);
            clock.advance(Duration.ofSeconds(1));
        }
        int before = twilio.requests().size();

        assertEquals(toAda, sids(Message.reader().setTo(new com.twilio.type.PhoneNumber(ADA.value())).setPageSize(3L)));

        List<ApiRequest> reads = twilio.requests().subList(before, twilio.requests().size());
        assertEquals(3, reads.size(), reads.toString());
        assertTrue(reads.stream().allMatch(r -> r.kind() == ApiRequest.Kind.LIST_MESSAGES
                && r.to().equals(java.util.Optional.of(ADA.value())) && r.params().first("PageSize").get().equals("3")));
        assertEquals(List.of("0", "1", "2"), reads.stream().map(r -> r.params().first("Page").orElse("0")).toList());
        assertEquals("PA" + toAda.get(2), reads.get(1).params().first("PageToken").orElseThrow());
    }

    @Test
    void pagesCarryTwiliosListShape() throws IOException {
        for (int i = 0; i < 5; i++) {
            send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "m" + i);
            clock.advance(Duration.ofSeconds(1));
        }
        String base = messagesPath();
        JsonNode first = get(base + "?To=%2B14155550101&PageSize=2");
        assertEquals(2, first.path("messages").size());
        assertEquals(0, first.path("page").asInt());
        assertEquals(2, first.path("page_size").asInt());
        assertEquals(0, first.path("start").asInt());
        assertEquals(1, first.path("end").asInt());
        assertEquals(base + "?To=%2B14155550101&PageSize=2&Page=0", first.path("first_page_uri").asText());
        assertEquals(base + "?To=%2B14155550101&PageSize=2&Page=0", first.path("uri").asText());
        assertTrue(first.path("previous_page_uri").isNull());
        String next = first.path("next_page_uri").asText();
        assertEquals(base + "?To=%2B14155550101&PageSize=2&Page=1&PageToken=PA"
                + first.path("messages").get(1).path("sid").asText(), next);

        JsonNode second = get(next);
        assertEquals(1, second.path("page").asInt());
        assertEquals(2, second.path("start").asInt());
        assertEquals(3, second.path("end").asInt());
        assertEquals(next, second.path("uri").asText());
        JsonNode back = get(second.path("previous_page_uri").asText());
        assertEquals(first.path("messages"), back.path("messages"), "previous_page_uri leads back to the first page");

        JsonNode last = get(get(next).path("next_page_uri").asText());
        assertEquals(1, last.path("messages").size());
        assertEquals(4, last.path("start").asInt());
        assertTrue(last.path("next_page_uri").isNull());
    }

    @Test
    void messagesCreatedWhileReadingDoNotShiftLaterPages() {
        List<String> older = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            older.add(0, send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "m" + i));
            clock.advance(Duration.ofSeconds(1));
        }
        MessageReader reader = Message.reader().setPageSize(2L);
        Page<Message> first = reader.firstPage(client);
        send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "newer, arrives between the pages");
        Page<Message> second = reader.nextPage(first, client);
        List<String> read = new ArrayList<>();
        first.getRecords().forEach(m -> read.add(m.getSid()));
        second.getRecords().forEach(m -> read.add(m.getSid()));
        assertEquals(older, read);
        assertFalse(second.hasNextPage());
    }

    @Test
    void pageSizeDefaultsTo50AndIsCheckedAsTwilioDoes() throws IOException {
        for (int i = 0; i < 51; i++) {
            twilio.seedMessage(PastMessage.to(ADA).body("old " + i).createdAt(START.minusSeconds(i)));
        }
        JsonNode page = get(messagesPath());
        assertEquals(50, page.path("messages").size());
        assertEquals(50, page.path("page_size").asInt());
        assertFalse(page.path("next_page_uri").isNull());
        assertEquals(51, sids(Message.reader().setPageSize(1000L)).size());

        JsonNode tooBig = get(messagesPath() + "?PageSize=1001");
        assertEquals(400, tooBig.path("http_status").asInt());
        assertEquals("PageSize must be a whole number from 1 to 1000, was \"1001\"", tooBig.path("message").asText());
        ApiException zero = assertThrows(ApiException.class, () -> sids(Message.reader().setPageSize(0L)));
        assertEquals(400, zero.getStatusCode());
        assertEquals(400, get(messagesPath() + "?DateSent=yesterday").path("http_status").asInt());
    }

    @Test
    void seededMessagesAreListedAndFetchedButNotCountedAsSent() {
        MessageSid past = twilio.seedMessage(PastMessage.to(ADA).body("Your code is 1234")
                .createdAt(START.minus(Duration.ofHours(1))));
        MessageSid viaService = twilio.seedMessage(PastMessage.to(WhatsAppAddress.of(ADA)).body("hi")
                .messagingService(MessagingServiceSid.of("MG0123456789abcdef0123456789abcdef"))
                .status(MessageStatus.ACCEPTED));
        String now = send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "Your code is 1234");

        assertEquals(List.of(now, viaService.value(), past.value()), sids(Message.reader()),
                "same date_created: the later arrival first");
        Message fetched = Message.fetcher(past.value()).fetch(client);
        assertEquals("Your code is 1234", fetched.getBody());
        assertEquals(Message.Status.DELIVERED, fetched.getStatus());
        assertEquals(FakeTwilio.DEFAULT_SMS_NUMBER.value(), fetched.getFrom().toString());
        assertEquals(START.minus(Duration.ofHours(1)), fetched.getDateSent().toInstant());
        Message service = Message.fetcher(viaService.value()).fetch(client);
        assertNull(service.getFrom());
        assertEquals("MG0123456789abcdef0123456789abcdef", service.getMessagingServiceSid());
        assertNull(service.getDateSent(), "an accepted message has not left Twilio");
        assertEquals(List.of(now), twilio.sent().stream().map(SentMessage::sid).toList());
        assertEquals(1, twilio.createdCount(ADA));
    }

    @Test
    void advancingAMessageSetsDateSentOnceOnTheFakesClock() {
        MessageSid sid = MessageSid.of(send(ADA, FakeTwilio.DEFAULT_SMS_NUMBER, "hi"));
        clock.advance(Duration.ofSeconds(30));
        twilio.advance(sid, MessageStatus.SENT);
        clock.advance(Duration.ofSeconds(30));
        twilio.advance(sid, MessageStatus.DELIVERED);
        Message m = Message.fetcher(sid.value()).fetch(client);
        assertEquals(START.plusSeconds(30), m.getDateSent().toInstant());
        assertEquals(START.plusSeconds(60), m.getDateUpdated().toInstant());
        assertEquals(Message.Status.DELIVERED, m.getStatus());
        IllegalArgumentException inbound = assertThrows(IllegalArgumentException.class,
                () -> twilio.advance(sid, MessageStatus.RECEIVED));
        assertTrue(inbound.getMessage().startsWith("status RECEIVED is not one of an outbound message"),
                inbound.getMessage());
    }

    @Test
    void aPastMessageToAnotherChannelNeedsItsSender() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> twilio.seedMessage(
                PastMessage.to(org.twiliochannels.core.PrefixedAddress.of("messenger:1234567890"))));
        assertEquals("a past message to messenger:1234567890 needs a sender: call from(...) or messagingService(...)",
                e.getMessage());
    }
}
