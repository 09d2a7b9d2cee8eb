package org.twiliochannels.core.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.TwilioUnreachableException;
import org.twiliochannels.core.internal.send.AccountEngine;
import org.twiliochannels.core.internal.twilio.TwilioApi;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;

/** The doctor's live checks: one API call each for the account and the SMS number. */
final class LiveCheck {
    private static final String SOURCE = "Twilio";

    private LiveCheck() {}

    /** Runs the checks; never throws for what Twilio or the network answers. */
    static SetupReport run(TwilioConfig config) {
        List<Finding> out = new ArrayList<>();
        TwilioConfig quick = config.newBuilder().retryPolicy(RetryPolicy.none()).sendDeadline(Duration.ofSeconds(20)).build();
        try (AccountEngine client = new AccountEngine(quick, List.of())) {
            String sid = config.credentials().accountSid().value();
            TwilioApi.Account account;
            try {
                account = client.account();
            } catch (TwilioChannelsException e) {
                out.add(failure("credentials", e, config));
                return new SetupReport(out);
            }
            out.add(new Finding(Severity.OK, "credentials", SOURCE, "accepted for account " + sid
                    + account.friendlyName().map(name -> " (" + name + ")").orElse("")));
            String status = account.status();
            if ("active".equalsIgnoreCase(status)) {
                out.add(new Finding(Severity.OK, "account status", SOURCE, "active"));
            } else {
                out.add(new Finding(Severity.PROBLEM, "account status", SOURCE, "the account is " + status
                        + ": messages cannot be sent until it is active again (Twilio Console > Account > Billing,"
                        + " or contact Twilio support)."));
            }
            String type = account.type();
            if ("trial".equalsIgnoreCase(type)) {
                out.add(new Finding(Severity.WARNING, "account type", SOURCE, "Trial: messages go only to verified"
                        + " numbers (Twilio Console > Phone Numbers > Verified Caller IDs) and carry a trial notice;"
                        + " upgrade the account to reach anyone."));
            } else {
                out.add(new Finding(Severity.OK, "account type", SOURCE, type));
            }
            config.smsFrom().ifPresent(number -> {
                try {
                    List<TwilioApi.OwnedNumber> owned = client.numbers(number);
                    if (owned.isEmpty()) {
                        out.add(new Finding(Severity.PROBLEM, Keys.PHONE_NUMBER, SOURCE, number.value()
                                + " is not a phone number of this account: choose one under Twilio Console > Phone"
                                + " Numbers > Active numbers, or buy one."));
                    } else if (owned.get(0).sms().filter(sms -> !sms).isPresent()) {
                        out.add(new Finding(Severity.PROBLEM, Keys.PHONE_NUMBER, SOURCE, number.value()
                                + " belongs to this account but cannot send SMS: pick an SMS-capable number"
                                + " (Twilio Console > Phone Numbers > Active numbers)."));
                    } else {
                        out.add(new Finding(Severity.OK, Keys.PHONE_NUMBER, SOURCE, number.value()
                                + " belongs to this account and can send SMS"));
                    }
                } catch (TwilioChannelsException e) {
                    out.add(failure(Keys.PHONE_NUMBER, e, config));
                }
            });
        }
        return new SetupReport(out);
    }

    private static Finding failure(String key, TwilioChannelsException e, TwilioConfig config) {
        if (e instanceof TwilioUnreachableException) {
            return new Finding(Severity.PROBLEM, "network", "", "could not reach Twilio at " + config.apiBaseUrl()
                    + ": " + e.getMessage() + " This is a network problem (DNS, proxy, firewall, offline), not a"
                    + " verdict on the credentials.");
        }
        if (e instanceof TwilioRejectedException r) {
            int code = r.error().code().orElse(0);
            if (code == 20003 || r.error().httpStatus() == 401) {
                String region = config.credentials().apiKey().isPresent() && config.region().isPresent()
                        ? " An API key works only in the region it was created in: make sure this key was created in"
                        + " region " + config.region().get() + "." : "";
                return new Finding(Severity.PROBLEM, "credentials", SOURCE, "Account SID and Auth Token do not match"
                        + " (Twilio error 20003): copy both again from Twilio Console > Account Info; with an API key,"
                        + " check that it belongs to this account and was not deleted." + region);
            }
            return new Finding(Severity.PROBLEM, key, SOURCE, r.getMessage());
        }
        return new Finding(Severity.PROBLEM, key, SOURCE, e.getMessage());
    }
}
