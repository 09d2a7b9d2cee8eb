package org.twiliochannels.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.TwilioInfrastructure;
import org.twiliochannels.core.webhook.MultiAccountWebhookVerifier;

/**
 * The {@code twilio.accounts.*} properties: many accounts opened from the application's
 * {@link org.twiliochannels.core.AccountResolver} bean ({@link TwilioAccountsAutoConfiguration}).
 */
@ConfigurationProperties("twilio.accounts")
public class TwilioAccountsProperties {
    /** Whether to open accounts from the application's AccountResolver bean when there is one. */
    private boolean enabled = true;
    /** How long an account stays open unused before it is closed (default 10m). */
    private Duration idleAfter = TwilioAccounts.DEFAULT_IDLE_AFTER;
    /** The most threads running async sends, for all accounts together (default 16). */
    private int sendThreads = TwilioInfrastructure.DEFAULT_SEND_THREADS;
    /** How long a replaced auth token still verifies webhooks (default 1h). */
    private Duration rotationOverlap = MultiAccountWebhookVerifier.DEFAULT_ROTATION_OVERLAP;

    /** Creates the properties with their defaults (by Spring). */
    public TwilioAccountsProperties() {}

    /** Whether accounts are opened from the resolver bean. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Sets whether accounts are opened from the resolver bean. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** How long an account stays open unused. */
    public Duration getIdleAfter() {
        return idleAfter;
    }

    /** Sets how long an account stays open unused. */
    public void setIdleAfter(Duration idleAfter) {
        this.idleAfter = idleAfter;
    }

    /** The most async send threads. */
    public int getSendThreads() {
        return sendThreads;
    }

    /** Sets the most async send threads. */
    public void setSendThreads(int sendThreads) {
        this.sendThreads = sendThreads;
    }

    /** How long a replaced auth token still verifies webhooks. */
    public Duration getRotationOverlap() {
        return rotationOverlap;
    }

    /** Sets how long a replaced auth token still verifies webhooks. */
    public void setRotationOverlap(Duration rotationOverlap) {
        this.rotationOverlap = rotationOverlap;
    }

    @Override
    public String toString() {
        return "TwilioAccountsProperties[enabled=" + enabled + ", idleAfter=" + idleAfter + ", sendThreads="
                + sendThreads + ", rotationOverlap=" + rotationOverlap + "]";
    }
}
