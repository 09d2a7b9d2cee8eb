package org.twiliochannels.core;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Texts;
import org.twiliochannels.core.schedule.MessageCategory;

/**
 * One outgoing message to one recipient: free-form text and/or media, or a Content
 * {@link Template}; optionally a status-callback URL, a time to send it, a validity period, and (for
 * WhatsApp) a template to fall back on when the 24-hour window is closed; its {@link MessageCategory}
 * (transactional unless said otherwise) and the recipient's own time zone when known, which decide
 * whether quiet hours hold it. Immutable and checked when
 * built; the channel adds its own checks (sender, address kind, scheduling) before anything is
 * sent. New kinds of content are added as builder methods, so code written against this class keeps
 * compiling.
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
    private final Template template;
    private final Template fallbackTemplate;
    private final Instant sendAt;
    private final Duration validityPeriod;
    private final MessageCategory category;
    private final ZoneId recipientZone;

    private Message(Builder b) {
        this.to = b.to;
        this.body = b.body;
        this.mediaUrls = List.copyOf(b.mediaUrls);
        this.statusCallback = b.statusCallback;
        this.template = b.template;
        this.fallbackTemplate = b.fallbackTemplate;
        this.sendAt = b.sendAt;
        this.validityPeriod = b.validityPeriod;
        this.category = b.category;
        this.recipientZone = b.recipientZone;
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

    /**
     * A Content template message (required outside WhatsApp's 24-hour window).
     *
     * @param to an E.164 number, or {@code whatsapp:+…}
     */
    public static Message template(String to, Template template) {
        return builder().to(to).template(template).build();
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
        b.template = template;
        b.fallbackTemplate = fallbackTemplate;
        b.sendAt = sendAt;
        b.validityPeriod = validityPeriod;
        b.category = category;
        b.recipientZone = recipientZone;
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

    /** The Content template this message is, if it is one. */
    public Optional<Template> template() {
        return Optional.ofNullable(template);
    }

    /** The template to send instead if WhatsApp refuses free-form text (error 63016, window closed). */
    public Optional<Template> fallbackTemplate() {
        return Optional.ofNullable(fallbackTemplate);
    }

    /** When Twilio should send it (scheduled message), if not now. */
    public Optional<Instant> sendAt() {
        return Optional.ofNullable(sendAt);
    }

    /** How long it may wait in Twilio's queue before being dropped, if not Twilio's default of 10 hours. */
    public Optional<Duration> validityPeriod() {
        return Optional.ofNullable(validityPeriod);
    }

    /**
     * What kind of message this is: {@link MessageCategory#TRANSACTIONAL} unless the builder said
     * otherwise. The account's {@link org.twiliochannels.core.schedule.QuietHours} hold
     * {@link MessageCategory#MARKETING} to 08:00–21:00 local time by default; CRITICAL is never held.
     */
    public MessageCategory category() {
        return category;
    }

    /** The recipient's own time zone, when the application knows it: it wins over the zones of the number. */
    public Optional<ZoneId> recipientZone() {
        return Optional.ofNullable(recipientZone);
    }

    /**
     * This message as its fallback template: same recipient and options, the template instead of
     * the text. Empty when there is no fallback template.
     */
    public Optional<Message> asFallbackTemplate() {
        if (fallbackTemplate == null) {
            return Optional.empty();
        }
        Builder b = newBuilder();
        b.body = null;
        b.mediaUrls.clear();
        b.fallbackTemplate = null;
        b.template = fallbackTemplate;
        return Optional.of(b.build());
    }

    /** Recipient masked, body length only: safe for logs. */
    @Override
    public String toString() {
        return "Message[to=" + to.masked() + ", body=" + (body == null ? "none" : body.length() + " chars")
                + ", media=" + mediaUrls.size() + (template == null ? "" : ", template=" + template.sid())
                + (sendAt == null ? "" : ", sendAt=" + sendAt)
                + (category == MessageCategory.TRANSACTIONAL ? "" : ", category=" + category) + "]";
    }

    /** Builds a {@link Message}; {@code to} and a body or media are required. */
    public static final class Builder {
        private Address to;
        private String body;
        private final List<URI> mediaUrls = new ArrayList<>();
        private URI statusCallback;
        private Template template;
        private Template fallbackTemplate;
        private Instant sendAt;
        private Duration validityPeriod;
        private MessageCategory category = MessageCategory.TRANSACTIONAL;
        private ZoneId recipientZone;

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
                throw new InvalidMessageException("mediaUrl", "\"" + Texts.withoutUserInfo(url.toString())
                        + "\" is not an absolute http(s) URL;"
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
                throw new InvalidMessageException("statusCallback", "\"" + Texts.withoutUserInfo(url.toString())
                        + "\" is not an absolute http(s) URL"
                        + " that Twilio can reach.");
            }
            this.statusCallback = url;
            return this;
        }

        /** Sends a Content template instead of free-form text; a template message has no body or media of its own. */
        public Builder template(Template template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /**
         * WhatsApp: the template to send, once, if the free-form text is refused because the 24-hour
         * customer-service window is closed (error 63016).
         */
        public Builder fallbackTemplate(Template template) {
            this.fallbackTemplate = Objects.requireNonNull(template, "template");
            return this;
        }

        /**
         * Schedules the message: Twilio sends it at {@code sendAt}, 15 minutes to 35 days ahead.
         * Needs a Messaging Service ({@code TWILIO_MESSAGING_SERVICE_SID}). Sent to Twilio in UTC.
         */
        public Builder sendAt(Instant sendAt) {
            this.sendAt = Objects.requireNonNull(sendAt, "sendAt");
            return this;
        }

        /** As {@link #sendAt(Instant)}; any zone is converted to UTC (the SDK would drop it). */
        public Builder sendAt(ZonedDateTime sendAt) {
            return sendAt(Objects.requireNonNull(sendAt, "sendAt").toInstant());
        }

        /** As {@link #sendAt(Instant)}; any offset is converted to UTC (the SDK would drop it). */
        public Builder sendAt(OffsetDateTime sendAt) {
            return sendAt(Objects.requireNonNull(sendAt, "sendAt").toInstant());
        }

        /** How long the message may wait in Twilio's queue: 1 second to 10 hours (Twilio's default). */
        public Builder validityPeriod(Duration validity) {
            Objects.requireNonNull(validity, "validity");
            if (validity.compareTo(Duration.ofSeconds(1)) < 0 || validity.compareTo(Duration.ofSeconds(36_000)) > 0) {
                throw new InvalidMessageException("validityPeriod", "is " + validity.toSeconds() + " s; Twilio accepts"
                        + " 1 to 36000 seconds (10 hours).");
            }
            this.validityPeriod = validity;
            return this;
        }

        /**
         * What kind of message this is (default {@link MessageCategory#TRANSACTIONAL}): MARKETING for
         * promotions and campaigns, which quiet hours hold by default; CRITICAL for one-time codes
         * and alerts, which nothing holds.
         */
        public Builder category(MessageCategory category) {
            this.category = Objects.requireNonNull(category, "category");
            return this;
        }

        /**
         * The recipient's own time zone (from their profile, say): quiet hours are then checked in
         * this zone alone, not in the zones of the number (default: the number's).
         */
        public Builder recipientZone(ZoneId zone) {
            this.recipientZone = Objects.requireNonNull(zone, "zone");
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
            if (template != null) {
                if (body != null || !mediaUrls.isEmpty()) {
                    throw new InvalidMessageException("template", "a template message takes its text and media from"
                            + " the template (" + template.sid() + "); remove the body and media, or drop the template"
                            + " to send free-form text.");
                }
                if (fallbackTemplate != null) {
                    throw new InvalidMessageException("fallbackTemplate", "is for free-form messages; this message is"
                            + " already a template.");
                }
            } else if (!hasBody && mediaUrls.isEmpty()) {
                throw new InvalidMessageException("body", "the message is empty; give a body, at least one media URL,"
                        + " or a template.");
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
