package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An error answer from Twilio, as received: the HTTP status, Twilio's error code when the body had
 * one, its message and its documentation link ({@code more_info}).
 *
 * @param httpStatus the HTTP status of the answer
 * @param code       Twilio's error code, when the body had one
 * @param message    Twilio's message, or a description of an answer that was not Twilio JSON
 * @param moreInfo   the link to Twilio's page on this error
 */
public record TwilioError(int httpStatus, OptionalInt code, String message, Optional<String> moreInfo) {

    /** Validates the components. */
    public TwilioError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(moreInfo, "moreInfo");
    }

    /** The catalogue entry of this error's code, if there is one. */
    public Optional<TwilioErrorCode> known() {
        return code.isPresent() ? TwilioErrorCode.of(code.getAsInt()) : Optional.empty();
    }

    /**
     * What kind of failure this is, from the catalogue, or from the HTTP status when the code is
     * not listed: 429 transient, 401 fatal, other 4xx permanent, 5xx ambiguous, and fatal below
     * 400 (a redirect or an interim status as the final answer: the request went somewhere other
     * than Twilio's API, as every request of the account will until its base URL or proxy is fixed).
     */
    public TwilioErrorCode.Kind kind() {
        Optional<TwilioErrorCode> k = known();
        if (k.isPresent()) {
            return k.get().kind();
        }
        if (httpStatus == 429) {
            return TwilioErrorCode.Kind.TRANSIENT;
        }
        if (httpStatus == 401) {
            return TwilioErrorCode.Kind.FATAL;
        }
        if (httpStatus >= 500) {
            return TwilioErrorCode.Kind.AMBIGUOUS;
        }
        return httpStatus >= 400 ? TwilioErrorCode.Kind.PERMANENT : TwilioErrorCode.Kind.FATAL;
    }

    /** The catalogue's hint, if the code is listed. */
    public Optional<String> hint() {
        return known().map(TwilioErrorCode::hint);
    }

    /** True for HTTP 429 or Twilio code 20429. */
    public boolean isRateLimited() {
        return httpStatus == 429 || (code.isPresent() && code.getAsInt() == 20429);
    }

    /**
     * One line for people: code, status, Twilio's message, the hint and the link. Phone numbers in
     * Twilio's message (it often quotes the recipient) are masked, e.g. {@code +1415***1234}: this
     * line ends up in exception messages and logs. {@link #message()} keeps Twilio's text as sent.
     */
    public String describe() {
        StringBuilder s = new StringBuilder("Twilio error ");
        code.ifPresent(c -> s.append(c).append(' '));
        s.append("(HTTP ").append(httpStatus).append("): ").append(maskNumbers(message));
        hint().ifPresent(h -> s.append(" Hint: ").append(h));
        moreInfo.ifPresent(m -> s.append(" See ").append(m));
        return s.toString();
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("\\+?\\d{7,15}");

    /** Masks every run of 7 to 15 digits (with an optional {@code +}) as a phone number is masked. */
    static String maskNumbers(String text) {
        java.util.regex.Matcher m = NUMBER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String n = m.group();
            int keepHead = Math.min(5, n.length() - 4);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    n.substring(0, keepHead) + "***" + n.substring(n.length() - 4)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
