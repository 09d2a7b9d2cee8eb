package org.twiliochannels.core.bulk;

import java.util.Objects;
import java.util.Optional;

/**
 * The end of a bulk send: the final counts and, when it stopped early, why.
 *
 * @param progress       the final counts
 * @param stoppedBecause the error that would have failed every remaining message, if the run stopped early
 */
public record BulkSummary(BulkProgress progress, Optional<String> stoppedBecause) {
    /** Validates. */
    public BulkSummary {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(stoppedBecause, "stoppedBecause");
    }

    /**
     * True when every item was accepted, skipped, or refused because its recipient opted out (a
     * recipient who asked not to be messaged is no failure to fix). Held items make it false: they
     * are still to be sent.
     */
    public boolean allAccepted() {
        return progress.rejected() == 0 && progress.unknown() == 0 && progress.notAttempted() == 0
                && progress.held() == 0;
    }
}
