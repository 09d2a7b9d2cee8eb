package org.twiliochannels.outbox;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.schedule.MessageCategory;

/**
 * A message to put in the outbox: the channel that sends it, the message, and optionally a caller
 * key (enqueueing the same key again adds nothing; it also cancels or reschedules the message), a
 * batch name (to follow a group of messages, e.g. one bulk run), the earliest time to send it, its
 * {@link MessageCategory} (which decides quiet hours and frequency caps) and the recipient's own
 * time zone when the application knows it, and the Twilio (sub)account that sends it when a worker
 * sends for many accounts.
 */
public final class OutboxMessage {
    /** The longest caller key or batch name, in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    private final String channel;
    private final Message message;
    private final String key;
    private final String batch;
    private final Instant notBefore;
    private final MessageCategory category;
    private final ZoneId timeZone;
    private final AccountSid account;

    private OutboxMessage(Builder b) {
        this.channel = b.channel;
        this.message = b.message;
        this.key = b.key;
        this.batch = b.batch;
        this.notBefore = b.notBefore;
        this.category = b.category;
        this.timeZone = b.timeZone;
        this.account = b.account;
    }

    /** A message for {@code channel} (e.g. {@code "sms"}) without a key: each enqueue adds a row. */
    public static OutboxMessage of(String channel, Message message) {
        return builder(channel, message).build();
    }

    /** A message for {@code channel} with a caller key: enqueueing the same key again adds nothing. */
    public static OutboxMessage of(String channel, Message message, String key) {
        return builder(channel, message).key(key).build();
    }

    /** A builder for a message of {@code channel}. */
    public static Builder builder(String channel, Message message) {
        return new Builder(channel, message);
    }

    /** The id of the channel that sends it, e.g. {@code "sms"} or {@code "whatsapp"}. */
    public String channel() {
        return channel;
    }

    /** The message. */
    public Message message() {
        return message;
    }

    /** The caller's key, if given. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** The batch name, if given. */
    public Optional<String> batch() {
        return Optional.ofNullable(batch);
    }

    /** The earliest time a worker sends it, if not at once. */
    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }

    /** What kind of message it is (default {@link MessageCategory#TRANSACTIONAL}). */
    public MessageCategory category() {
        return category;
    }

    /** The recipient's own time zone, when the application gave it: it wins over the number's zones. */
    public Optional<ZoneId> timeZone() {
        return Optional.ofNullable(timeZone);
    }

    /**
     * The account that sends it, when given: only a worker for that account takes it
     * ({@link Outbox#startWorker(org.twiliochannels.core.TwilioAccounts, WorkerSettings)} for many
     * accounts, or a single-account worker of that account). Empty: the account of the
     * single-account worker that takes it.
     */
    public Optional<AccountSid> account() {
        return Optional.ofNullable(account);
    }

    /** This message with {@code due} as its earliest time to send (quiet hours applied by the outbox). */
    OutboxMessage withDue(Instant due) {
        if (due.equals(notBefore)) {
            return this;
        }
        Builder b = new Builder(channel, message);
        b.key = key;
        b.batch = batch;
        b.notBefore = due;
        b.category = category;
        b.timeZone = timeZone;
        b.account = account;
        return b.build();
    }

    @Override
    public String toString() {
        return "OutboxMessage[" + channel + ", " + message + (key == null ? "" : ", key=" + key)
                + (batch == null ? "" : ", batch=" + batch) + (account == null ? "" : ", account=" + account) + ", "
                + category + "]";
    }

    /** Builds an {@link OutboxMessage}. */
    public static final class Builder {
        private final String channel;
        private final Message message;
        private String key;
        private String batch;
        private Instant notBefore;
        private MessageCategory category = MessageCategory.TRANSACTIONAL;
        private ZoneId timeZone;
        private AccountSid account;

        private Builder(String channel, Message message) {
            Objects.requireNonNull(channel, "channel");
            if (!channel.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("channel \"" + channel + "\" must be a channel id: lower case"
                        + " letters, digits and '-', e.g. \"sms\" or \"whatsapp\"");
            }
            this.channel = channel;
            this.message = Objects.requireNonNull(message, "message");
        }

        /** The caller's key (default none), at most 255 characters: enqueueing the same key again adds nothing. */
        public Builder key(String key) {
            this.key = checked("key", key);
            return this;
        }

        /** A batch name (default none), at most 255 characters, to count a group's states with {@link Outbox#counts(String)}. */
        public Builder batch(String batch) {
            this.batch = checked("batch", batch);
            return this;
        }

        /** The earliest time to send (default: as soon as a worker can). */
        public Builder notBefore(Instant notBefore) {
            this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
            return this;
        }

        /**
         * What kind of message it is (default {@link MessageCategory#TRANSACTIONAL}): a MARKETING
         * message is held by the outbox's quiet hours, a CRITICAL one never.
         */
        public Builder category(MessageCategory category) {
            this.category = Objects.requireNonNull(category, "category");
            return this;
        }

        /**
         * The recipient's own time zone (default: the zones of the number, see
         * {@link org.twiliochannels.core.schedule.RecipientTimeZones}): quiet hours are taken in it alone.
         */
        public Builder timeZone(ZoneId timeZone) {
            this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
            return this;
        }

        /**
         * The Twilio (sub)account that sends it (default none: the account of the single-account
         * worker that takes it). A worker for many accounts sends it through this account, opened
         * from its {@link org.twiliochannels.core.TwilioAccounts}; a single-account worker of another
         * account never takes it.
         */
        public Builder account(AccountSid account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        /** The outbox message. */
        public OutboxMessage build() {
            return new OutboxMessage(this);
        }

        private static String checked(String field, String value) {
            Objects.requireNonNull(value, field);
            if (value.isBlank() || value.length() > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException(field + " must be 1 to " + MAX_KEY_LENGTH + " characters and not"
                        + " blank, was " + value.length() + " characters; use a short identifier of your own"
                        + " (e.g. the order id), or a hash of a longer one");
            }
            return value;
        }
    }
}
