package org.twiliochannels.core.internal.twilio;

import com.twilio.base.Page;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.Domains;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageReader;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.internal.http.Http1Client;

/**
 * The one door to the Twilio SDK for an account: the SDK builds each request and parses each
 * answer, {@link TwilioTransport} carries it. Every call is one attempt that ends by
 * {@code deadlineNanos} ({@link System#nanoTime()} scale); retrying is the caller's decision.
 * Arguments and results are the library's own types.
 *
 * <p>Failures: {@code HttpFailure} (an answer but a 2xx), {@code IoFailure} (no answer; says
 * whether the request may have reached Twilio) and {@link UnreadableAnswer} (a 2xx that cannot be
 * read).
 *
 * <p>How the deadline reaches the transport: each call builds a light view of the SDK's client
 * ({@link Call}) that holds the deadline and, for a send, the scheduled time; the SDK's resource
 * classes hand the request they built to that view, which sends it with the transport directly. So
 * the SDK's own HTTP layer ({@code HttpClient}, its retries and its logging of requests) is never
 * used. Not API.
 */
public final class TwilioApi implements AutoCloseable {
    private final TwilioTransport transport;
    private final TwilioRestClient.Builder client;
    private final String accountSid;
    private final String username;
    private final String password;

    /** The SDK for {@code config}'s account, on a transport of its own. */
    public TwilioApi(TwilioConfig config) {
        this(config, new TwilioTransport(config));
    }

    /**
     * The SDK for {@code config}'s account on connections shared with other accounts: {@code shared}
     * (made by {@link #sharedClient} for the same proxy and connect timeout), with this account's own
     * limit of requests in flight. {@link #close()} ends this account's use of them; the owner of
     * {@code shared} closes it.
     */
    public TwilioApi(TwilioConfig config, Http1Client shared) {
        this(config, new TwilioTransport(config, shared));
    }

    /**
     * An HTTP client for {@code config}'s proxy and connect timeout, for many accounts' APIs
     * ({@link #TwilioApi(TwilioConfig, Http1Client)}) to share.
     */
    public static Http1Client sharedClient(TwilioConfig config) {
        return TwilioTransport.sharedClient(config);
    }

    /** The SDK for {@code config}'s account, on {@code transport}. */
    TwilioApi(TwilioConfig config, TwilioTransport transport) {
        this.transport = transport;
        this.accountSid = config.credentials().accountSid().value();
        this.username = config.credentials().username();
        this.password = config.credentials().revealPassword();
        this.client = new TwilioRestClient.Builder(username, password)
                .accountSid(accountSid);
    }

    /**
     * The SDK's client for one call: the requests its resource classes build go to the transport
     * with this call's deadline. Cheap to make: it copies a few fields from the shared builder.
     */
    private final class Call extends TwilioRestClient {
        private final long deadlineNanos;
        private final Instant sendAt;

        Call(long deadlineNanos, Instant sendAt) {
            super(client);
            this.deadlineNanos = deadlineNanos;
            this.sendAt = sendAt;
        }

        /**
         * The request the SDK built, sent once by the transport. {@code SendAt} is written here, in
         * RFC 3339 with its {@code Z}: the SDK's own setter drops the zone.
         */
        @Override
        public Response request(Request request) {
            request.setAuth(username, password);
            if (sendAt != null) {
                request.addPostParam("SendAt", DateTimeFormatter.ISO_INSTANT.format(sendAt));
            }
            return transport.send(request, deadlineNanos);
        }
    }

    /** Creates {@code outgoing}'s message: one request. */
    public Created create(Outgoing outgoing, long deadlineNanos) {
        Message m = parsed(() -> Creators.creator(outgoing).create(
                new Call(deadlineNanos, outgoing.message().sendAt().orElse(null))));
        return Created.of(m.getSid(), String.valueOf(m.getStatus()), m.getNumSegments());
    }

    /** The message's current state. */
    public MessageState fetch(MessageSid sid, long deadlineNanos) {
        return state(sid, parsed(() -> Message.fetcher(sid.value()).fetch(new Call(deadlineNanos, null))));
    }

    /** Cancels a scheduled message; its state after the cancellation. */
    public MessageState cancel(MessageSid sid, long deadlineNanos) {
        return state(sid, parsed(() -> Message.updater(sid.value()).setStatus(Message.UpdateStatus.CANCELED)
                .update(new Call(deadlineNanos, null))));
    }

    /** The newest messages to {@code to} (from {@code from} when present), {@code pageSize} of them. */
    public LogPage messages(Address to, Optional<Address> from, int pageSize, long deadlineNanos) {
        MessageReader reader = Message.reader().setTo(new com.twilio.type.PhoneNumber(to.value()))
                .setPageSize((long) pageSize);
        from.ifPresent(f -> reader.setFrom(new com.twilio.type.PhoneNumber(f.value())));
        return page(parsed(() -> reader.firstPage(new Call(deadlineNanos, null))));
    }

    /** The page after {@code page}, which must have one ({@link LogPage#next()}). */
    public LogPage nextPage(LogPage page, long deadlineNanos) {
        String url = page.next().orElseThrow(() -> new IllegalArgumentException("the last page has no next page"));
        return page(parsed(() -> Message.reader().getPage(url, new Call(deadlineNanos, null))));
    }

    /** The account the credentials belong to. */
    public Account account(long deadlineNanos) {
        com.twilio.rest.api.v2010.Account a = parsed(() -> com.twilio.rest.api.v2010.Account
                .fetcher(accountSid).fetch(new Call(deadlineNanos, null)));
        return new Account(Optional.ofNullable(a.getFriendlyName()), String.valueOf(a.getStatus()),
                String.valueOf(a.getType()));
    }

    /** The account's phone numbers equal to {@code number}: none, or the one it owns. */
    public List<OwnedNumber> numbers(PhoneNumber number, long deadlineNanos) {
        return parsed(() -> {
            List<OwnedNumber> out = new ArrayList<>();
            IncomingPhoneNumber.reader().setPhoneNumber(new com.twilio.type.PhoneNumber(number.value()))
                    .read(new Call(deadlineNanos, null)).forEach(n -> out.add(new OwnedNumber(
                            n.getCapabilities() == null ? Optional.empty() : Optional.of(n.getCapabilities().getSms()))));
            return out;
        });
    }

    /**
     * {@code GET} of a Content API path ({@code /v1/Content…}, with its query) or of a page URL Twilio
     * gave ({@code meta.next_page_url}); the answer's JSON text. One attempt.
     */
    public String contentGet(String pathOrUrl, long deadlineNanos) {
        return content(HttpMethod.GET, pathOrUrl, null, deadlineNanos);
    }

    /** {@code POST} of {@code json} to a Content API path; the answer's JSON text. One attempt. */
    public String contentPost(String path, String json, long deadlineNanos) {
        return content(HttpMethod.POST, path, java.util.Objects.requireNonNull(json, "json"), deadlineNanos);
    }

    /**
     * A Content API request: built here rather than by the SDK's Content classes (the library has the
     * JSON already), sent by the same transport with the account's credentials, so the custom base
     * URL, the region and edge, the proxy and the deadline apply as to the Messages API.
     */
    private String content(HttpMethod method, String pathOrUrl, String json, long deadlineNanos) {
        Request request = pathOrUrl.startsWith("https://")
                ? new Request(method, pathOrUrl)
                : new Request(method, Domains.CONTENT.toString(), pathOrUrl);
        if (json != null) {
            request.setContentType(EnumConstants.ContentType.JSON);
            request.setBody(json);
        }
        request.setAuth(username, password);
        String body = transport.send(request, deadlineNanos).getContent();
        if (body == null || body.isBlank()) {
            throw new UnreadableAnswer("an empty answer to " + method + " " + pathOrUrl.replaceAll("\\?.*", ""), null);
        }
        return body;
    }

    /** The failure for a 2xx whose body is not what was asked for ({@code what}). */
    public static UnreadableAnswer unreadable(String what) {
        return new UnreadableAnswer(what, null);
    }

    /** What the SDK parsed, or an {@link UnreadableAnswer}: only a 2xx answer reaches its parser. */
    private static <T> T parsed(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException | ApiConnectionException e) {
            throw new UnreadableAnswer(e.getMessage(), e);
        }
    }

    private static MessageState state(MessageSid sid, Message m) {
        return new MessageState(sid, MessageStatus.fromTwilio(String.valueOf(m.getStatus())),
                m.getErrorCode() == null ? OptionalInt.empty() : OptionalInt.of(m.getErrorCode()),
                Optional.ofNullable(m.getErrorMessage()).filter(s -> !s.isBlank()));
    }

    private static LogPage page(Page<Message> page) {
        List<LoggedMessage> messages = page.getRecords().stream().map(TwilioApi::logged).toList();
        return new LogPage(messages, page.hasNextPage()
                ? Optional.of(page.getNextPageUrl(Domains.API.toString())) : Optional.empty());
    }

    private static LoggedMessage logged(Message m) {
        return new LoggedMessage(m.getSid(), String.valueOf(m.getStatus()),
                m.getErrorCode() == null ? OptionalInt.empty() : OptionalInt.of(m.getErrorCode()),
                Optional.ofNullable(m.getErrorMessage()).filter(s -> !s.isBlank()),
                Optional.ofNullable(m.getTo()), Optional.ofNullable(m.getFrom()).map(Object::toString),
                Optional.ofNullable(m.getBody()), number(m.getNumMedia()), m.getNumSegments(),
                Optional.ofNullable(m.getDateCreated()).map(d -> d.toInstant()));
    }

    private static OptionalInt number(String n) {
        try {
            return n == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(n.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** One page of the message log, newest first, and where the next one is. */
    public record LogPage(List<LoggedMessage> messages, Optional<String> next) {}

    /**
     * A message as the log shows it; every field as Twilio wrote it, absent where Twilio left it out.
     *
     * @param numMedia    the number of media, absent when missing or unreadable
     * @param numSegments the number of segments, as Twilio wrote it (may be null)
     * @param dateCreated when Twilio created it
     */
    public record LoggedMessage(String sid, String status, OptionalInt errorCode, Optional<String> errorMessage,
                                Optional<String> to, Optional<String> from, Optional<String> body, OptionalInt numMedia,
                                String numSegments, Optional<Instant> dateCreated) {
        /** Its state; its SID must be readable. */
        public MessageState state() {
            return new MessageState(MessageSid.of(sid), MessageStatus.fromTwilio(status), errorCode, errorMessage);
        }

        /** As a created message, for a receipt: an {@link UnreadableAnswer} without a usable SID. */
        public Created created() {
            return Created.of(sid, status, numSegments);
        }
    }

    /** The account: its name, status ({@code active}, {@code suspended}, {@code closed}) and type. */
    public record Account(Optional<String> friendlyName, String status, String type) {}

    /** A number of the account; {@code sms} is whether it can send SMS, when Twilio says. */
    public record OwnedNumber(Optional<Boolean> sms) {}

    /** True when the transport's connections are shared and their owner closed them. */
    public boolean sharedClosed() {
        return transport.sharedClosed();
    }

    /** Closes the transport's connections; later calls fail as not sent. */
    @Override
    public void close() {
        transport.close();
    }
}
