package org.twiliochannels.core.consent;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.InboundMessage.Keyword;

/**
 * Twilio's opt-out, opt-in and help keywords, matched as Twilio matches them: the <em>whole</em>
 * body, letter case ignored, surrounding white space ignored. {@code "sToP"} and {@code " stop\n"}
 * count; {@code "Stop please"}, {@code "STOP."} and {@code "OPT OUT"} (with a space) do not, and
 * neither do look-alike letters ({@code "ＳＴＯＰ"} in full-width forms, a dotless {@code ı} in
 * {@code "quıt"}): only the ASCII letters of the keyword match.
 *
 * <ul>
 *   <li>Opt-out ({@link Keyword#STOP}): STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE,
 *       OPTOUT. REVOKE and OPTOUT joined Twilio's
 *       default list on 2025-05-14 (Twilio blog, "Update to FCC's SMS Opt-Out Keywords").</li>
 *   <li>Opt-in ({@link Keyword#START}): START, UNSTOP, YES.</li>
 *   <li>Help ({@link Keyword#HELP}): HELP, INFO. Help changes no consent.</li>
 * </ul>
 * Sources: https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out and Twilio error pages
 * 23002/23004 (https://www.twilio.com/docs/api/errors/23004).
 *
 * <h2>Twilio's {@code OptOutType} parameter</h2>
 * When the number is in a Messaging Service with Advanced Opt-Out enabled (and the service does
 * not drop such messages), Twilio tells the incoming-message webhook which kind of keyword matched
 * in {@code OptOutType}: {@code STOP}, {@code START} or {@code HELP}, also for the service's own
 * custom keywords (Twilio help article 31560110671259). {@link #classify(InboundMessage)} takes that
 * value when present, and matches the body only when it is absent (or a value this library does not
 * know). Without Advanced Opt-Out Twilio sends no {@code OptOutType}, and the body is matched
 * against the default lists above. A service that removed one of the removable defaults (say
 * CANCEL) still sees {@code "cancel"} counted as an opt-out here: the library errs on the side of
 * not messaging a person who may have asked to stop.
 *
 * <h2>Whose messages a STOP blocks (what Twilio does, and what a consent scope is)</h2>
 * <ul>
 *   <li><b>A number on its own</b> (not in a Messaging Service): the block is for that one sender and
 *       that one recipient; your other numbers can still message the person
 *       (https://www.twilio.com/docs/proxy/opt-out-keywords).</li>
 *   <li><b>A number in a Messaging Service</b>: the person is opted out of every message that
 *       service sends, from any of its numbers (Twilio help article 223133627, error 21610; the
 *       Proxy page above contrasts it with Messaging Services).</li>
 *   <li><b>Toll-free numbers</b> (US and Canada): per number, and the carrier network keeps an
 *       opt-out list of its own that Twilio cannot change; START or UNSTOP lifts it
 *       (https://support.twilio.com/hc/en-us/articles/360058144374).</li>
 *   <li><b>Short codes</b>: on their own, Twilio handles neither the keywords nor the opt-out list;
 *       the application must (https://support.twilio.com/hc/en-us/articles/223181748). In a
 *       Messaging Service, the service's Advanced Opt-Out settings apply to them too.</li>
 *   <li><b>Channels are separate</b>: a STOP on SMS does not stop WhatsApp messages, and Twilio's
 *       default SMS keyword filtering is not documented for WhatsApp senders, so WhatsApp opt-outs are
 *       the application's to keep (Twilio's error 63014 means the person blocked the sender). Since
 *       2026-03-16 Twilio joins RCS and SMS opt-outs of the same sender or service ("Unified Cross
 *       Channel Opt-Outs", help article 223134027); this library keeps them per channel.</li>
 *   <li>We found no account-wide opt-out at Twilio. A send to an opted-out recipient is refused with
 *       error 21610 (https://www.twilio.com/docs/api/errors/21610) until the person replies START.</li>
 * </ul>
 * {@link ConsentScope} mirrors this: a sender number or a Messaging Service, a channel, an account.
 *
 * <p>The US rule in force since 2025-04-11 (FCC, CG Docket 02-278) lets a person revoke consent by
 * any reasonable means, including replies that Twilio does not filter ("opt out", "please stop"):
 * record those with {@link ConsentSource.Api} after your own review.
 *
 * <p>Thread-safe; no state.
 */
public final class OptOutKeywords {
    /** The opt-out keywords, as a sentence for the docs. */
    static final String OPT_OUT_LIST = "STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT";
    /** The opt-in keywords, as a sentence for the docs. */
    static final String OPT_IN_LIST = "START, UNSTOP, YES";
    /** The help keywords, as a sentence for the docs. */
    static final String HELP_LIST = "HELP, INFO";

    private static final List<String> OPT_OUT = List.of(OPT_OUT_LIST.split(", "));
    private static final List<String> OPT_IN = List.of(OPT_IN_LIST.split(", "));
    private static final List<String> HELP = List.of(HELP_LIST.split(", "));
    private static final String OPT_OUT_TYPE = "OptOutType";

    private OptOutKeywords() {}

    /** Twilio's default opt-out keywords, in upper case: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT. */
    public static List<String> optOut() {
        return OPT_OUT;
    }

    /** Twilio's default opt-in keywords, in upper case: START, UNSTOP, YES. */
    public static List<String> optIn() {
        return OPT_IN;
    }

    /** Twilio's default help keywords, in upper case: HELP, INFO. */
    public static List<String> help() {
        return HELP;
    }

    /**
     * The kind of keyword a message body is, matched against the default lists: empty when the body
     * is no keyword.
     */
    public static Optional<Keyword> classify(String body) {
        return keyword(body).map(OptOutKeywords::kindOf);
    }

    /**
     * The kind of keyword an inbound message is: Twilio's {@code OptOutType} when present and one of
     * {@code STOP}, {@code START}, {@code HELP} (letter case and white space ignored), else its body
     * as {@link #classify(String)} matches it.
     */
    public static Optional<Keyword> classify(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        Optional<Keyword> type = optOutType(message);
        return type.isPresent() ? type : classify(message.body());
    }

    /**
     * The default keyword the body is, in upper case ({@code "sToP "} gives {@code "STOP"}), or empty.
     */
    public static Optional<String> keyword(String body) {
        Objects.requireNonNull(body, "body");
        String word = body.strip();
        if (word.isEmpty() || word.length() > 11 || !word.chars().allMatch(c -> c < 128 && Character.isLetter(c))) {
            return Optional.empty();
        }
        String upper = word.toUpperCase(Locale.ROOT);
        return OPT_OUT.contains(upper) || OPT_IN.contains(upper) || HELP.contains(upper) ? Optional.of(upper) : Optional.empty();
    }

    /**
     * What a consent record should name as the keyword of an inbound message: its default keyword
     * ({@code "STOP"}), or {@code "OptOutType=STOP"} when only Twilio's parameter says so (a custom
     * keyword of the Messaging Service, whose text is not kept). Empty when the message is no keyword.
     */
    public static Optional<String> recordedKeyword(InboundMessage message) {
        Optional<Keyword> type = optOutType(message);
        Optional<String> word = keyword(message.body());
        if (type.isEmpty()) {
            return word;
        }
        return word.filter(w -> kindOf(w) == type.get()).or(() -> Optional.of(OPT_OUT_TYPE + "=" + type.get().name()));
    }

    /** The kind of a keyword {@link #keyword(String)} returned, or of {@code "OptOutType=…"}. */
    static Keyword kindOf(String keyword) {
        if (keyword.startsWith(OPT_OUT_TYPE + "=")) {
            return Keyword.valueOf(keyword.substring(OPT_OUT_TYPE.length() + 1));
        }
        if (OPT_OUT.contains(keyword)) {
            return Keyword.STOP;
        }
        if (OPT_IN.contains(keyword)) {
            return Keyword.START;
        }
        if (HELP.contains(keyword)) {
            return Keyword.HELP;
        }
        throw new IllegalArgumentException("keyword \"" + keyword + "\" is none of Twilio's default keywords ("
                + OPT_OUT_LIST + "; " + OPT_IN_LIST + "; " + HELP_LIST + ") nor OptOutType=STOP, START or HELP");
    }

    private static Optional<Keyword> optOutType(InboundMessage message) {
        return message.optOutType().flatMap(t -> {
            String upper = t.strip().toUpperCase(Locale.ROOT);
            return switch (upper) {
                case "STOP", "START", "HELP" -> Optional.of(Keyword.valueOf(upper));
                default -> Optional.empty();
            };
        });
    }
}
