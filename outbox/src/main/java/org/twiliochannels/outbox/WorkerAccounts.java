package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.Objects;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AccountUnavailableException;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.event.Throttled;
import org.twiliochannels.core.event.TwilioEventListener;

/**
 * The accounts a worker sends for: one {@link TwilioAccount} (rows of that account and rows naming
 * none), or the accounts of a {@link TwilioAccounts} (rows naming an account, each sent through
 * its own account, claimed round-robin per account).
 */
sealed interface WorkerAccounts {
    /** The rows this worker claims. */
    OutboxStore.AccountScope scope();

    /**
     * The account that sends {@code claim}, opened now if needed.
     *
     * @throws AccountUnavailableException when the account cannot be opened (nothing sent)
     */
    TwilioAccount accountOf(Claim claim);

    /** The account a claim names, or the single account's. */
    AccountSid sidOf(Claim claim);

    /** How long closing waits for sends in flight. */
    Duration closeWait();

    /** Calls {@code onThrottled} when Twilio answers 429, where the accounts can say so; returns how to stop. */
    AutoCloseable onThrottled(Runnable onThrottled);

    /** One account. */
    record One(TwilioAccount account) implements WorkerAccounts {
        public One {
            Objects.requireNonNull(account, "account");
        }

        @Override
        public OutboxStore.AccountScope scope() {
            return OutboxStore.AccountScope.of(account.config().credentials().accountSid());
        }

        @Override
        public TwilioAccount accountOf(Claim claim) {
            return account;
        }

        @Override
        public AccountSid sidOf(Claim claim) {
            return account.config().credentials().accountSid();
        }

        @Override
        public Duration closeWait() {
            return account.config().sendDeadline().plusSeconds(5);
        }

        @Override
        public AutoCloseable onThrottled(Runnable onThrottled) {
            return account.subscribe(new TwilioEventListener() {
                @Override
                public void throttled(Throttled event) {
                    onThrottled.run();
                }
            });
        }
    }

    /**
     * The accounts of {@code accounts}; {@code lease} bounds every account's send deadline (an account
     * whose deadline is not shorter by a second is not sent through: see {@link SendClaimed}).
     */
    record Many(TwilioAccounts accounts, Duration lease) implements WorkerAccounts {
        public Many {
            Objects.requireNonNull(accounts, "accounts");
            Objects.requireNonNull(lease, "lease");
        }

        @Override
        public OutboxStore.AccountScope scope() {
            return OutboxStore.AccountScope.FAIR;
        }

        @Override
        public TwilioAccount accountOf(Claim claim) {
            return accounts.account(sidOf(claim));
        }

        @Override
        public AccountSid sidOf(Claim claim) {
            return claim.account().orElseThrow(() -> new IllegalStateException("outbox message " + claim.id()
                    + " names no account; a worker for many accounts claims only rows that name one"));
        }

        @Override
        public Duration closeWait() {
            return lease.plusSeconds(5);
        }

        @Override
        public AutoCloseable onThrottled(Runnable onThrottled) {
            return () -> { }; // accounts open and close as they are used: the send limit does not follow their 429s
        }
    }
}
