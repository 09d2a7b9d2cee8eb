package org.twiliochannels.examples;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.webhook.StatusCallback;

/**
 * What the code samples of the docs take as given: the reader's own objects (a channel, a data
 * source, a logger, their customers …) that a sample uses without declaring them. Every sample
 * that is not a whole compilation unit is compiled in a class extending this one (see
 * {@link DocSamplesTest}), so a name used by a sample is either declared by the sample, imported,
 * or one of these. Nothing here runs: the samples are compiled, not executed.
 */
public abstract class DocSampleContext {
    /** A configuration, as {@code TwilioEnvironment.load()} returns it. */
    protected TwilioConfig config;
    /** A channel of each kind, as {@code twilio.channel("sms")} returns it. */
    protected Channel sms;
    protected Channel whatsapp;
    /** Any listener: a metrics listener, an audit log. */
    protected TwilioEventListener metrics;
    protected Logger log;
    protected DataSource dataSource;
    protected MeterRegistry meterRegistry;
    protected ObservationRegistry observationRegistry;
    /** The reader's recipient in the test kit's samples, and a time before "now". */
    protected PhoneNumber ADA;
    protected Instant anHourAgo;
    /** A verified status callback, as {@code WebhookVerifier.verify} returns it. */
    protected StatusCallback statusCallback;

    /** The reader's customers and orders. */
    protected List<Customer> customers;
    protected Order order;
    protected Orders orders;
    protected Inbox inbox;

    /** A web framework's request, the part a webhook handler reads. */
    protected Request request;
    protected String fullUrlAsReceived;
    protected String rawBody;
    /** Where a webhook handler remembers the events it handled, and the TwiML it answers Twilio. */
    protected Set<String> seenKeys;
    protected String reply;

    /** A customer of the bulk samples. */
    public record Customer(String phone, String name) {}

    /** An order of the outbox samples. */
    public record Order(long id, String phone) {}

    /** The reader's own order records. */
    public interface Orders {
        /** Records the delivery status of an order's message. */
        void markDelivered(MessageSid sid, MessageStatus status);
    }

    /** The reader's own inbox of replies. */
    public interface Inbox {
        /** Keeps a reply. */
        void add(String from, String body);
    }

    /** The part of a web framework's request a webhook handler reads. */
    public interface Request {
        /** The header's value, or null. */
        String getHeader(String name);
    }

    /** The reader's service of the test kit's samples. */
    public interface CodeService {
        /** Sends a code to a recipient. */
        void sendCode(PhoneNumber to);
    }

    /** The reader's code under test that sends on a channel. */
    protected abstract Runnable myReminderService(Channel channel);

    /** The reader's code under test, built on a configuration. */
    protected abstract CodeService myService(TwilioConfig config);

    /** The reader's own write in the transaction that also enqueues a message. */
    protected abstract void saveOrder(Connection connection, Order order);

    /** The reader's own record of a delivery update. */
    protected abstract void markDelivered(MessageSid sid, MessageStatus status, OptionalInt errorCode);

    /** Blocks until the application shuts down. */
    protected abstract void awaitShutdown() throws InterruptedException;
}
