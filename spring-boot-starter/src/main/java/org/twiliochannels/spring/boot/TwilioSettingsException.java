package org.twiliochannels.spring.boot;

import java.util.List;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.settings.SetupReport.Finding;

/**
 * The {@code twilio.*} properties have problems: the message lists each one as the doctor words it,
 * with the property, where its value came from and the fix. Thrown at start-up.
 */
public class TwilioSettingsException extends ChannelConfigurationException {
    private static final long serialVersionUID = 1L;

    private final transient List<Finding> problems;

    /** An exception listing {@code problems}. */
    public TwilioSettingsException(List<Finding> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, each with its property ({@code twilio.account-sid} …), source and message. */
    public List<Finding> problems() {
        return problems;
    }

    private static String describe(List<Finding> problems) {
        StringBuilder s = new StringBuilder("The Twilio settings have ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        for (Finding f : problems) {
            s.append(System.lineSeparator()).append("- ").append(f.key())
                    .append(f.source().isEmpty() ? "" : " (" + f.source() + ")").append(": ").append(f.message());
        }
        return s.toString();
    }
}
