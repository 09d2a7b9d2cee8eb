package org.twiliochannels.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One outgoing message to one recipient: the text, optional media, an optional status-callback
 * URL. Immutable and checked when built; the channel adds its own checks (sender, address kind)
 * before anything is sent. New kinds of content are added as builder methods, so code written
 * against this class keeps compiling.
 */
public final class Message {
    /** The longest body Twilio accepts, in characters. */
    public static final int MAX_BODY_LENGTH = 1600;
    /** The most media URLs one message may carry. */
    public static final int MAX_MEDIA = 10;

    private final Address to;
    private final String body;
    private final List<URI> mediaUrls;
    private final URI statusCallback;

    private Message(Builder b) {
        this.to = b.to;
        this.body = b.body;
        this.mediaUrls = List.copyOf(b.mediaUrls);
        this.statusCallback = b.statusCallback;
    }

    /**
     * A text message.
     *
     * @param to   an E.164 number, or {@code whatsapp:+…}
     * @param body the text, at most 1600 characters
     * @throws InvalidMessageException naming the field and the fix
     */
    public static Message text(String to, String body) {
        return builder().to(to).body(body).build();
    }

    /** A builder for messages with media, callbacks and other options. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this message's values. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.to = to;
        b.body = body;
        b.mediaUrls.addAll(mediaUrls);
        b.statusCallback = statusCallback;
        return b;
    }

    /** The recipient. */
    public Address to() {
        return to;
    }

    /** The text, if any. */
    public Optional<String> body() {
        return Optional.ofNullable(body);
    }

    /** Media (MMS, WhatsApp images, documents …) by public URL; empty when none. */
    public List<URI> mediaUrls() {
        return mediaUrls;
    }

    /** The URL Twilio posts this message's status changes to, if set. */
    public Optional<URI> statusCallback() {
        return Optional.ofNullable(statusCallback);
    }

    /** Recipient masked, body length only: safe for logs. */
    @Override
    public String toString() {
        return "Message[to=" + to.masked() + ", body=" + (body == null ? "none" : body.length() + " chars")
                + ", media=" + mediaUrls.size() + "]";
    }

    /** Builds a {@link Message}; {@code to} and a body or media are required. */
    public static final class Builder {
        private Address to;
        private String body;
        private final List<URI> mediaUrls = new ArrayList<>();
        private URI statusCallback;

        private Builder() {}

        /**
         * The recipient: an E.164 number, or {@code whatsapp:+…} for WhatsApp.
         *
         * @throws InvalidMessageException when it is neither, with the E.164 form where it can be guessed
         */
        public Builder to(String to) {
            Objects.requireNonNull(to, "to");
            try {
                this.to = Address.parse(to);
            } catch (IllegalArgumentException e) {
                throw new InvalidMessageException("to", e.getMessage());
            }
            return this;
        }

        /** The recipient. */
        public Builder to(Address to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /** The text, at most 1600 characters. */
        public Builder body(String body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /** Adds a media URL (http or https, publicly reachable by Twilio); at most 10. */
        public Builder mediaUrl(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new InvalidMessageException("mediaUrl", "\"" + url + "\" is not an absolute http(s) URL;"
                        + " Twilio fetches media from a public http or https address.");
            }
            mediaUrls.add(url);
            return this;
        }

        /** The URL Twilio posts this message's status changes to (overrides the channel's). */
        public Builder statusCallback(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new InvalidMessageException("statusCallback", "\"" + url + "\" is not an absolute http(s) URL"
                        + " that Twilio can reach.");
            }
            this.statusCallback = url;
            return this;
        }

        /**
         * The message.
         *
         * @throws InvalidMessageException when the recipient is missing, there is neither body nor
         *                                 media, the body is over 1600 characters or there are over 10 media
         */
        public Message build() {
            if (to == null) {
                throw new InvalidMessageException("to", "is required; set the recipient's E.164 number, e.g. +14155551234.");
            }
            boolean hasBody = body != null && !body.isBlank();
            if (!hasBody && mediaUrls.isEmpty()) {
                throw new InvalidMessageException("body", "the message is empty; give a body or at least one media URL.");
            }
            if (body != null) {
                int length = body.codePointCount(0, body.length());
                if (length > MAX_BODY_LENGTH) {
                    throw new InvalidMessageException("body", "has " + length + " characters; Twilio accepts at most "
                            + MAX_BODY_LENGTH + ". Shorten it or send several messages.");
                }
            }
            if (mediaUrls.size() > MAX_MEDIA) {
                throw new InvalidMessageException("mediaUrl", "has " + mediaUrls.size() + " URLs; Twilio accepts at most "
                        + MAX_MEDIA + " per message. Send the rest in another message.");
            }
            return new Message(this);
        }
    }
}
