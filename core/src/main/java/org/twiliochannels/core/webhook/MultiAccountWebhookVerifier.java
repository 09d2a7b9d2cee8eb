package org.twiliochannels.core.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/**
 * Verifies webhooks of many accounts at one endpoint: each request with the auth token of the
 * account its {@code AccountSid} names, looked up in the application's store. The named account is
 * only a claim until the signature made with that account's token matches: a request naming an
 * account the store does not know, or whose token cannot be looked up, is rejected with
 * {@link Reason#UNKNOWN_ACCOUNT}; everything else is checked as {@link WebhookVerifier} checks it.
 *
 * <p><b>Token rotation.</b> When the store's token for an account changes, requests signed with
 * the token seen before are still accepted for the {@linkplain Builder#rotationOverlap overlap}
 * (by the builder's clock), since Twilio may still deliver callbacks signed before the change.
 * After a restart the verifier has seen no earlier token: tell it with {@link #rotated}. Only the
 * signature may fall back to the previous token; every other check is the same.
 *
 * <p><b>Events.</b> One {@link TwilioEventListener#webhookVerified} per call, as
 * {@link WebhookVerifier}'s. Thread-safe; one per endpoint. It keeps a small state per account it
 * has verified requests for (the token seen, the previous one during an overlap).
 *
 * <pre>{@code
 * MultiAccountWebhookVerifier verifier = MultiAccountWebhookVerifier.builder(sid -> store.authTokenOf(sid))
 *         .publicBaseUrl(URI.create("https://example.com"))
 *         .build();
 * TwilioWebhook webhook = verifier.verify(WebhookRequest.ofFormBody(url, body, signature));
 * }</pre>
 */
public final class MultiAccountWebhookVerifier {
    /** How long the token seen before a rotation is still accepted, by default. */
    public static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");

    /** The application's store of auth tokens, by account. */
    @FunctionalInterface
    public interface AuthTokens {
        /**
         * The auth token of {@code accountSid} now, or empty when the application knows no such
         * account. Called for every request: answer from memory or a cache.
         */
        Optional<AuthToken> authToken(AccountSid accountSid) throws Exception;
    }

    /** The token seen for an account and, during an overlap, the one before it. */
    private record Seen(AuthToken current, AuthToken previous, Instant previousUntil) {
        Optional<AuthToken> previousAt(Instant now) {
            return previous != null && now.isBefore(previousUntil) ? Optional.of(previous) : Optional.empty();
        }
    }

    private final AuthTokens tokens;
    private final Duration overlap;
    private final Clock clock;
    private final URI publicBaseUrl;
    private final List<TwilioEventListener> listeners;
    private final Map<AccountSid, Seen> seen = new ConcurrentHashMap<>();

    private MultiAccountWebhookVerifier(Builder b) {
        this.tokens = b.tokens;
        this.overlap = b.overlap;
        this.clock = b.clock;
        this.publicBaseUrl = b.publicBaseUrl;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A verifier looking tokens up in {@code tokens}. */
    public static Builder builder(AuthTokens tokens) {
        return new Builder(tokens);
    }

    /**
     * Accepts {@code previous} for {@code accountSid} as well as the store's token for the
     * overlap from now: for a rotation made while this verifier was not running.
     */
    public void rotated(AccountSid accountSid, AuthToken previous) {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(previous, "previous");
        Instant until = clock.instant().plus(overlap);
        seen.compute(accountSid, (sid, s) -> new Seen(s == null ? null : s.current(), previous, until));
    }

    /**
     * Verifies the request with the token of the account it names, and reads it.
     *
     * @throws WebhookRejectedException with the reason ({@link Reason#UNKNOWN_ACCOUNT} for an
     *         account the store does not know); answer 403 and ignore the request
     */
    public TwilioWebhook verify(WebhookRequest request) {
        return WebhookVerifier.reported(listeners, Objects.requireNonNull(request, "request"), this::check);
    }

    private TwilioWebhook check(WebhookRequest request, String[] kind) {
        AccountSid account = claimedAccount(request);
        AuthToken token = lookUp(account);
        Instant now = clock.instant();
        Seen s = seen.compute(account, (sid, old) -> old == null ? new Seen(token, null, null)
                : old.current() == null ? new Seen(token, old.previous(), old.previousUntil())
                : old.current().equals(token) ? old
                : new Seen(token, old.current(), now.plus(overlap)));
        try {
            return verifier(account, token).check(request, kind);
        } catch (WebhookRejectedException e) {
            Optional<AuthToken> previous = s.previousAt(now).filter(p -> !p.equals(token));
            if (e.reason() != Reason.INVALID_SIGNATURE || previous.isEmpty()) {
                throw e;
            }
            try {
                return verifier(account, previous.get()).check(request, kind);
            } catch (WebhookRejectedException withPrevious) {
                throw e;
            }
        }
    }

    private WebhookVerifier verifier(AccountSid account, AuthToken token) {
        WebhookVerifier.Builder b = WebhookVerifier.builder(account, token);
        if (publicBaseUrl != null) {
            b.publicBaseUrl(publicBaseUrl);
        }
        return b.build();
    }

    /** The account the request says it is for; only a claim until its token's signature matches. */
    private static AccountSid claimedAccount(WebhookRequest request) {
        String value;
        if (request.jsonBody().isPresent()) {
            String body = request.jsonBody().get();
            if (body.length() > WebhookVerifier.MAX_BODY_CHARS) {
                throw new WebhookRejectedException(Reason.TOO_LARGE, "the body has " + body.length()
                        + " characters; at most " + WebhookVerifier.MAX_BODY_CHARS + " are accepted");
            }
            value = WebhookVerifier.flatten(body).get("AccountSid");
        } else {
            List<String> values = request.parameters().get("AccountSid");
            value = values == null || values.size() != 1 ? null : values.get(0);
        }
        if (value == null || value.isEmpty()) {
            throw new WebhookRejectedException(Reason.BAD_FIELD, "AccountSid", "the request has no single AccountSid,"
                    + " which Twilio sends with every webhook: it names the account whose auth token signed it");
        }
        return AccountSid.parse(value).orElseThrow(() -> new WebhookRejectedException(Reason.BAD_FIELD, "AccountSid",
                "AccountSid is not an Account SID (AC and 32 hex digits), as Twilio writes it"));
    }

    private AuthToken lookUp(AccountSid account) {
        Optional<AuthToken> token;
        try {
            token = tokens.authToken(account);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("the auth token of {} could not be looked up for a webhook ({}); the request was rejected",
                    account, e.getClass().getName());
            throw new WebhookRejectedException(Reason.UNKNOWN_ACCOUNT, "AccountSid", "the auth token of account "
                    + account + " could not be looked up (the store threw " + e.getClass().getName() + "), so the"
                    + " request cannot be verified; Twilio may deliver it again");
        }
        if (token == null || token.isEmpty()) {
            throw new WebhookRejectedException(Reason.UNKNOWN_ACCOUNT, "AccountSid", "account " + account
                    + " is not known to this application's token store; the request is not verified. Add the"
                    + " account to the store, or remove this webhook URL from the account's numbers.");
        }
        return token.get();
    }

    /** The overlap, the accounts seen and the public base URL; never a token. */
    @Override
    public String toString() {
        return "MultiAccountWebhookVerifier[accounts=" + seen.size() + ", rotationOverlap=" + overlap
                + (publicBaseUrl == null ? "" : ", publicBaseUrl=" + Redact.url(publicBaseUrl.toString())) + "]";
    }

    /** Builds a {@link MultiAccountWebhookVerifier}. */
    public static final class Builder {
        private final AuthTokens tokens;
        private Duration overlap = DEFAULT_ROTATION_OVERLAP;
        private Clock clock = Clock.systemUTC();
        private URI publicBaseUrl;
        private final List<TwilioEventListener> listeners = new ArrayList<>();

        private Builder(AuthTokens tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
        }

        /**
         * How long a token replaced in the store is still accepted (default
         * {@link #DEFAULT_ROTATION_OVERLAP}); zero accepts only the current token.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder rotationOverlap(Duration overlap) {
            Objects.requireNonNull(overlap, "overlap");
            if (overlap.isNegative()) {
                throw new IllegalArgumentException("rotationOverlap is " + overlap + "; it must be zero or more, e.g."
                        + " Duration.ofHours(1)");
            }
            this.overlap = overlap;
            return this;
        }

        /** The clock deciding when an overlap ends (default: the system clock in UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** As {@link WebhookVerifier.Builder#publicBaseUrl(URI)}, checked the same way. */
        public Builder publicBaseUrl(URI publicBaseUrl) {
            this.publicBaseUrl = WebhookVerifier.checkedBaseUrl(publicBaseUrl);
            return this;
        }

        /** Adds a listener told of every verification; must be fast and must not throw. */
        public Builder listener(TwilioEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The verifier. */
        public MultiAccountWebhookVerifier build() {
            return new MultiAccountWebhookVerifier(this);
        }
    }
}
