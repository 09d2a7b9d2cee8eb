package org.twiliochannels.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link TwilioSettingsException} into Spring Boot's start-up failure report. */
class TwilioSettingsFailureAnalyzer extends AbstractFailureAnalyzer<TwilioSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TwilioSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix the twilio.* properties above (in application.properties,"
                + " or as TWILIO_* environment variables), or set twilio.enabled=false to start without Twilio.", cause);
    }
}
