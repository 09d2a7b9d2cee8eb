package org.twiliochannels.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.outbox.OutboxState;

/**
 * The page as HTML from a {@link Snapshot}: one self-contained document (its style inline, charts
 * as inline SVG, no script, nothing fetched from another host), readable on a phone, usable with
 * the keyboard (landmarks, a skip link, tables with headers, scrollable regions that take focus).
 * Numbers carry {@code data-value} with the plain count; recipients are masked; bodies are never
 * read.
 */
final class Page {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String title;
    private final Duration refresh;
    private final OptionalDouble capPerSecond;

    Page(String title, Duration refresh, OptionalDouble capPerSecond) {
        this.title = title;
        this.refresh = refresh;
        this.capPerSecond = capPerSecond;
    }

    /** The page for what was read. */
    String render(Snapshot s, String tables) {
        StringBuilder b = new StringBuilder(32_000);
        head(b, s.at(), s.total() > 0);
        if (s.total() == 0) {
            b.append("<section id=\"empty\" class=\"notice\" aria-labelledby=\"empty-h\"><h2 id=\"empty-h\">No messages"
                    + " yet</h2><p>The outbox tables (<code>").append(Html.escape(tables)).append("</code>) are there and"
                    + " empty. Messages appear here once the application enqueues them (<code>Outbox.enqueue</code>"
                    + " in its own transaction, or <code>twilio-channels send-bulk --outbox JDBC_URL</code>) and a"
                    + " worker runs (<code>Outbox.startWorker</code>, or the Spring Boot starter with"
                    + " <code>twilio.outbox.worker=true</code>). This page refreshes itself.</p></section>");
        }
        queue(b, s);
        throughput(b, s);
        if (s.total() > 0) {
            funnel(b, s);
            failures(b, s);
            unknowns(b, s);
            consent(b, s);
            recent(b, s);
        }
        foot(b);
        return b.toString();
    }

    /** The page that says the database cannot be read, and what to check; no stack trace. */
    String unavailable(Instant at, String heading, String what) {
        StringBuilder b = new StringBuilder(8_000);
        head(b, at, false);
        b.append("<section id=\"unavailable\" class=\"notice problem\" role=\"alert\" aria-labelledby=\"unavailable-h\">"
                + "<h2 id=\"unavailable-h\">").append(Html.escape(heading)).append("</h2><p>").append(Html.escape(what))
                .append("</p>");
        if (!refresh.isZero()) {
            b.append("<p>This page tries again every ").append(refresh.toSeconds()).append(" s.</p>");
        }
        b.append("</section>");
        foot(b);
        return b.toString();
    }

    private void head(StringBuilder b, Instant at, boolean nav) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (!refresh.isZero()) {
            b.append("<meta http-equiv=\"refresh\" content=\"").append(refresh.toSeconds()).append("\">");
        }
        b.append("<title>").append(Html.escape(title)).append("</title><style>").append(CSS).append("</style></head><body>")
                .append("<a class=\"skip\" href=\"#main\">Skip to the numbers</a><header><h1>").append(Html.escape(title))
                .append("</h1><p class=\"muted\">As of <time id=\"as-of\" datetime=\"").append(at).append("\">")
                .append(TIME.format(at)).append("</time>");
        if (!refresh.isZero()) {
            b.append(" · refreshes every ").append(refresh.toSeconds()).append(" s");
        }
        b.append("</p>");
        if (nav) {
            b.append("<nav aria-label=\"Sections\"><ul><li><a href=\"#queue\">Queue</a></li><li><a href=\"#throughput\">"
                + "Throughput</a></li><li><a href=\"#funnel\">Delivery</a></li><li><a href=\"#failures\">Failures</a></li>"
                + "<li><a href=\"#unknown\">May have been sent</a></li><li><a href=\"#consent\">Opt-outs</a></li>"
                + "<li><a href=\"#recent\">Recent</a></li></ul></nav>");
        }
        b.append("</header><main id=\"main\" tabindex=\"-1\">");
    }

    private static void foot(StringBuilder b) {
        b.append("</main><footer class=\"muted\"><p>Numbers are read from the outbox's tables; recipients are masked"
                + " and message bodies are never shown. Times in UTC.</p></footer></body></html>\n");
    }

    // ---- sections

    private static void queue(StringBuilder b, Snapshot s) {
        Snapshot.Queue q = s.queue();
        b.append("<section id=\"queue\" aria-labelledby=\"queue-h\"><h2 id=\"queue-h\">Queue now</h2><div class=\"cards\">");
        card(b, "due", "Due now", q.due(), q.oldestDue().map(t -> "oldest waiting since " + ago(s.at(), t))
                .orElse("nothing waiting") + (q.dueRetries() > 0 ? "; " + count(q.dueRetries()) + " of them retries" : ""));
        card(b, "later", "Scheduled or held", q.later(), q.nextLater().map(t -> "next due " + TIME.format(t))
                .orElse("none") + (q.laterRetries() > 0 ? "; " + count(q.laterRetries()) + " waiting for a retry's backoff"
                : "") + " (send-after times, quiet hours, backoff)");
        card(b, "in-flight", "With a worker", s.counts().get(OutboxState.CLAIMED) + s.counts().get(OutboxState.SENDING),
                q.expiredLeases() > 0 ? count(q.expiredLeases()) + " with an expired lease (a stopped worker's; the next"
                        + " claim settles them)" : "no expired lease");
        card(b, "unknown", "May have been sent", s.counts().get(OutboxState.UNKNOWN),
                s.counts().get(OutboxState.UNKNOWN) > 0 ? "need a decision: see below" : "none to decide");
        b.append("</div><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"states-c\"><table id=\"states\">"
                + "<caption id=\"states-c\">Messages by state (the whole table)</caption><thead><tr><th scope=\"col\">State"
                + "</th><th scope=\"col\" class=\"n\">Messages</th><th scope=\"col\">Meaning</th></tr></thead><tbody>");
        for (OutboxState st : OutboxState.values()) {
            b.append("<tr><th scope=\"row\"><span class=\"badge s-").append(st.dbName()).append("\">").append(st.dbName())
                    .append("</span></th>");
            cell(b, "count-" + st.dbName(), s.counts().get(st));
            b.append("<td>").append(meaning(st)).append("</td></tr>");
        }
        b.append("</tbody><tfoot><tr><th scope=\"row\">all</th>");
        cell(b, "count-total", s.total());
        b.append("<td></td></tr></tfoot></table></div></section>");
    }

    private static String meaning(OutboxState s) {
        return switch (s) {
            case QUEUED -> "waiting for a worker, now or later";
            case CLAIMED -> "held by a worker, not sent yet";
            case SENDING -> "a worker is sending it";
            case ACCEPTED -> "Twilio accepted it (its delivery status below)";
            case REJECTED -> "not sent: refused, invalid, or out of attempts";
            case UNKNOWN -> "may have been sent: check before sending again";
            case OPTED_OUT -> "not sent: the recipient had opted out (no request made)";
            case CANCELED -> "not sent: canceled before its attempt (no request made)";
            case DUPLICATE -> "not sent: the same message went to the recipient shortly before (no request made)";
        };
    }

    private static void card(StringBuilder b, String id, String label, long value, String detail) {
        b.append("<div class=\"card\"><p class=\"card-label\">").append(label).append("</p><p class=\"card-value\" id=\"card-")
                .append(id).append("\" data-value=\"").append(value).append("\">").append(count(value))
                .append("</p><p class=\"muted\">").append(Html.escape(detail)).append("</p></div>");
    }

    private void throughput(StringBuilder b, Snapshot s) {
        long lastMinute = s.at().getEpochSecond() / 60;
        long[] day = new long[DashboardStore.DAY_MINUTES];
        for (int i = 0; i < day.length; i++) {
            day[i] = s.throughput().perMinute().getOrDefault(s.throughput().firstMinute() + i, 0L);
        }
        long[] hour = new long[60];
        System.arraycopy(day, day.length - 60, hour, 0, 60);
        long hourTotal = sum(hour);
        long dayTotal = sum(day);
        long peak = 0;
        for (long n : day) {
            peak = Math.max(peak, n);
        }
        OptionalDouble capPerMinute = capPerSecond.isPresent() ? OptionalDouble.of(capPerSecond.getAsDouble() * 60)
                : OptionalDouble.empty();
        String cap = capPerMinute.isPresent() ? "the account's cap is " + trim(capPerMinute.getAsDouble()) + " per minute ("
                + trim(capPerSecond.getAsDouble()) + " per second)" : "no account cap given";
        b.append("<section id=\"throughput\" aria-labelledby=\"throughput-h\"><h2 id=\"throughput-h\">Throughput</h2>"
                + "<p>Accepted by Twilio in the last hour: <strong id=\"accepted-hour\" data-value=\"").append(hourTotal)
                .append("\">").append(count(hourTotal)).append("</strong>; in the last day: <strong id=\"accepted-day\""
                + " data-value=\"").append(dayTotal).append("\">").append(count(dayTotal)).append("</strong>; busiest"
                + " minute: <strong id=\"peak-minute\" data-value=\"").append(peak).append("\">").append(count(peak))
                .append("</strong> (").append(cap).append(").</p>");
        if (capPerMinute.isPresent() && peak > capPerMinute.getAsDouble()) {
            b.append("<p class=\"warn\">A minute went over the cap: Twilio queues what is over it, and the account's"
                    + " queue is limited (error 30001 once it is full). Check the pacing settings.</p>");
        }
        b.append("<figure><figcaption>Accepted per minute, last hour (").append(minute(lastMinute - 59)).append(" to ")
                .append(minute(lastMinute)).append(")</figcaption>")
                .append(Charts.perMinute(hour, capPerMinute, count(hourTotal) + " accepted in the last hour, at most "
                        + count(max(hour)) + " in a minute", "chart-hour"))
                .append("</figure><figure><figcaption>Busiest minute of each 10 minutes, last day</figcaption>")
                .append(Charts.perMinute(busiest(day, 10), capPerMinute, count(dayTotal) + " accepted in the last day,"
                        + " at most " + count(peak) + " in a minute", "chart-day"))
                .append("</figure></section>");
    }

    private static void funnel(StringBuilder b, Snapshot s) {
        b.append("<section id=\"funnel\" aria-labelledby=\"funnel-h\"><h2 id=\"funnel-h\">Delivery by channel and"
                + " campaign, last ").append(window(s)).append("</h2><p class=\"muted\" id=\"funnel-window\">")
                .append(windowNote(s)).append(" Accepted → sent → delivered (read counts as delivered), from Twilio's"
                + " answers and status callbacks; rates are of the accepted messages. A campaign is the outbox's batch."
                + " The sender is the channel's configured number or service.</p><div class=\"scroll\" tabindex=\"0\""
                + " role=\"region\" aria-labelledby=\"funnel-c\"><table id=\"funnel-table\"><caption id=\"funnel-c\">"
                + "Delivery funnel</caption><thead><tr><th scope=\"col\">Channel</th><th scope=\"col\">Campaign</th>"
                + "<th scope=\"col\" class=\"n\">Waiting</th><th scope=\"col\" class=\"n\">Accepted</th>"
                + "<th scope=\"col\" class=\"n\">Sent</th><th scope=\"col\" class=\"n\">Delivered</th>"
                + "<th scope=\"col\" class=\"n\">Read</th><th scope=\"col\" class=\"n\">Undelivered</th>"
                + "<th scope=\"col\" class=\"n\">Failed</th><th scope=\"col\" class=\"n\">Rejected</th>"
                + "<th scope=\"col\" class=\"n\">Unknown</th><th scope=\"col\" class=\"n\">Not sent (opted out, canceled,"
                + " duplicate)</th><th scope=\"col\" class=\"n\">Delivered rate</th>"
                + "<th scope=\"col\" class=\"n\">Failure rate</th></tr></thead><tbody>");
        for (Snapshot.Funnel f : s.funnels()) {
            String key = f.channel() + "/" + f.batch().orElse("");
            b.append("<tr data-funnel=\"").append(Html.escape(key)).append("\"><th scope=\"row\">")
                    .append(Html.escape(f.channel())).append("</th><td>")
                    .append(f.batch().map(Html::escape).orElse("<span class=\"muted\">(none)</span>")).append("</td>");
            long[] v = {f.waiting(), f.accepted(), f.sent(), f.delivered(), f.read(), f.undelivered(), f.failed(),
                    f.rejected(), f.unknown(), f.skipped()};
            String[] names = {"waiting", "accepted", "sent", "delivered", "read", "undelivered", "failed", "rejected",
                    "unknown", "skipped"};
            for (int i = 0; i < v.length; i++) {
                b.append("<td class=\"n\" data-col=\"").append(names[i]).append("\" data-value=\"").append(v[i]).append("\">")
                        .append(count(v[i])).append("</td>");
            }
            b.append("<td class=\"n\">").append(rate(f.delivered(), f.accepted())).append("</td><td class=\"n\">")
                    .append(rate(f.undelivered() + f.failed(), f.accepted())).append("</td></tr>");
        }
        b.append("</tbody></table></div></section>");
    }

    private static void failures(StringBuilder b, Snapshot s) {
        b.append("<section id=\"failures\" aria-labelledby=\"failures-h\"><h2 id=\"failures-h\">Failures by Twilio error"
                + " code, last ").append(window(s)).append("</h2>");
        if (s.failures().isEmpty()) {
            b.append("<p id=\"no-failures\">No failures recorded in the last ").append(window(s)).append(".</p></section>");
            return;
        }
        b.append("<p class=\"muted\">").append(windowNote(s)).append(" Newest first. The hint is the library's"
                + " catalogue entry for the code.</p>"
                + "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"failures-c\"><table"
                + " id=\"failures-table\"><caption id=\"failures-c\">Failures</caption><thead><tr><th scope=\"col\">Code"
                + "</th><th scope=\"col\">What to do</th><th scope=\"col\" class=\"n\">Messages</th><th scope=\"col\""
                + " class=\"n\">Rejected</th><th scope=\"col\" class=\"n\">Undelivered or failed</th><th scope=\"col\""
                + " class=\"n\">Retrying</th><th scope=\"col\" class=\"n\">Unknown</th><th scope=\"col\">Newest</th></tr>"
                + "</thead><tbody>");
        for (Snapshot.Failure f : s.failures()) {
            String code = f.code().isPresent() ? Integer.toString(f.code().getAsInt()) : "none";
            b.append("<tr data-code=\"").append(code).append("\"><th scope=\"row\">").append(code).append("</th><td>")
                    .append(Html.escape(hint(f.code()))).append("</td>");
            long[] v = {f.total(), f.rejected(), f.undelivered(), f.retrying(), f.unknown()};
            for (long n : v) {
                b.append("<td class=\"n\" data-value=\"").append(n).append("\">").append(count(n)).append("</td>");
            }
            b.append("<td><time datetime=\"").append(f.newest()).append("\">").append(ago(s.at(), f.newest()))
                    .append("</time></td></tr>");
        }
        b.append("</tbody></table></div></section>");
    }

    private static String window(Snapshot s) {
        long h = s.window().toHours();
        return h % 24 == 0 ? (h / 24 == 1 ? "24 h" : h / 24 + " days") : h + " h";
    }

    private static String windowNote(Snapshot s) {
        return "Messages last changed since " + TIME.format(s.at().minus(s.window())) + ", and every message not"
                + " finished (waiting, with a worker, may have been sent) whatever its age; the counts by state above"
                + " are of the whole table.";
    }

    static String hint(OptionalInt code) {
        if (code.isEmpty()) {
            return "No code recorded: the message was invalid or its attempts ran out; see the message's history"
                    + " (twilio-channels outbox status, or Outbox.state).";
        }
        return TwilioErrorCode.of(code.getAsInt()).map(TwilioErrorCode::hint)
                .orElse("Not in the library's catalogue: look the code up in Twilio's error dictionary.");
    }

    private static void unknowns(StringBuilder b, Snapshot s) {
        long n = s.counts().get(OutboxState.UNKNOWN);
        b.append("<section id=\"unknown\" aria-labelledby=\"unknown-h\"><h2 id=\"unknown-h\">May have been sent</h2>");
        if (n == 0) {
            b.append("<p id=\"no-unknown\">None: every message the outbox finished has a known outcome.</p></section>");
            return;
        }
        b.append("<p class=\"warn\"><strong data-value=\"").append(n).append("\" id=\"unknown-count\">").append(count(n))
                .append("</strong> message(s) may have reached Twilio: the request was sent but no answer came, and"
                        + " Twilio's message log could not tell. For each, look in Twilio Console's messaging logs for a"
                        + " message to that number around the last attempt's time: if it is there, it was sent (do not"
                        + " send it again); if it is not there after a few minutes, enqueue it again with a new key.</p>")
                .append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"unknown-c\"><table"
                        + " id=\"unknown-table\"><caption id=\"unknown-c\">Messages that need a decision").append(
                        n > s.unknowns().size() ? " (newest " + s.unknowns().size() + ")" : "")
                .append("</caption><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Key</th><th scope=\"col\">"
                        + "Campaign</th><th scope=\"col\">Channel</th><th scope=\"col\">To</th><th scope=\"col\""
                        + " class=\"n\">Attempts</th><th scope=\"col\">Last error</th><th scope=\"col\">Last attempt</th>"
                        + "</tr></thead><tbody>");
        for (Snapshot.Unknown u : s.unknowns()) {
            b.append("<tr><th scope=\"row\">").append(u.id()).append("</th><td>").append(opt(u.key())).append("</td><td>")
                    .append(opt(u.batch())).append("</td><td>").append(Html.escape(u.channel())).append("</td><td>")
                    .append(Html.escape(u.recipient())).append("</td><td class=\"n\">").append(u.attempts())
                    .append("</td><td>").append(code(u.code())).append("</td><td>")
                    .append(u.lastAttempt().map(TIME::format).orElse("")).append("</td></tr>");
        }
        b.append("</tbody></table></div></section>");
    }

    private static final String[][] SOURCES = {{"keyword", "Keyword (STOP, START …)"},
        {"error-21610", "Error 21610 (Twilio refused a send)"}, {"api", "Recorded by the application"}};

    private static void consent(StringBuilder b, Snapshot s) {
        b.append("<section id=\"consent\" aria-labelledby=\"consent-h\"><h2 id=\"consent-h\">Opt-outs and opt-ins</h2>");
        if (s.consent().isEmpty()) {
            b.append("<p id=\"no-consent\">The consent ledger is not set up in these tables (their schema is older than"
                    + " version 3): call <code>Outbox.migrate()</code>, or start the application once with this library's"
                    + " version, to create it.</p></section>");
            return;
        }
        Snapshot.Consent c = s.consent().get();
        long[] outs = new long[DashboardStore.CONSENT_DAYS];
        long[] ins = new long[outs.length];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = c.optOutsPerDay().getOrDefault(c.firstDay() + i, 0L);
            ins[i] = c.optInsPerDay().getOrDefault(c.firstDay() + i, 0L);
        }
        long outTotal = sum(outs);
        long inTotal = sum(ins);
        b.append("<div class=\"cards\">");
        card(b, "opted-out", "Opted out now", c.optedOut(), "recipients (per sender or service) that get nothing"
                + " until they opt in again");
        card(b, "opt-outs", "Opt-outs, last " + outs.length + " days", outTotal, "recorded in the ledger");
        card(b, "opt-ins", "Opt-ins, last " + outs.length + " days", inTotal, "recorded in the ledger");
        b.append("</div><figure><figcaption>Opt-outs (dark) and opt-ins (light) per day, ").append(day(c.firstDay()))
                .append(" to ").append(day(c.firstDay() + outs.length - 1)).append("</figcaption>")
                .append(Charts.perDay(outs, ins, count(outTotal) + " opt-outs and " + count(inTotal) + " opt-ins in the"
                        + " last " + outs.length + " days, at most " + count(max(outs)) + " opt-outs in a day", "chart-consent"))
                .append("</figure><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"consent-c\">"
                        + "<table id=\"consent-sources\"><caption id=\"consent-c\">By source, last ").append(outs.length)
                .append(" days</caption><thead><tr><th scope=\"col\">Source</th><th scope=\"col\" class=\"n\">Opt-outs"
                        + "</th><th scope=\"col\" class=\"n\">Opt-ins</th></tr></thead><tbody>");
        for (String[] source : SOURCES) {
            b.append("<tr data-source=\"").append(source[0]).append("\"><th scope=\"row\">").append(source[1]).append("</th>");
            cell(b, "consent-out-" + source[0], c.optOutsBySource().getOrDefault(source[0], 0L));
            cell(b, "consent-in-" + source[0], c.optInsBySource().getOrDefault(source[0], 0L));
            b.append("</tr>");
        }
        b.append("</tbody></table></div>");
        if (!c.newest().isEmpty()) {
            b.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"consent-n\"><table"
                    + " id=\"consent-table\"><caption id=\"consent-n\">The newest ").append(c.newest().size())
                    .append(" changes</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">To</th><th"
                            + " scope=\"col\">Channel</th><th scope=\"col\">Change</th><th scope=\"col\">Source</th>"
                            + "</tr></thead><tbody>");
            for (Snapshot.ConsentRow r : c.newest()) {
                b.append("<tr><td><time datetime=\"").append(r.at()).append("\">").append(TIME.format(r.at()))
                        .append("</time></td><td>").append(Html.escape(r.recipient())).append("</td><td>")
                        .append(Html.escape(r.channel())).append("</td><td>").append(r.optedOut() ? "opted out" : "opted in")
                        .append("</td><td>").append(Html.escape(r.source())).append("</td></tr>");
            }
            b.append("</tbody></table></div>");
        }
        b.append("</section>");
    }

    private static String day(long epochDay) {
        return java.time.LocalDate.ofEpochDay(epochDay).toString();
    }

    private static void recent(StringBuilder b, Snapshot s) {
        b.append("<section id=\"recent\" aria-labelledby=\"recent-h\"><h2 id=\"recent-h\">Recent messages</h2>"
                + "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"recent-c\"><table"
                + " id=\"recent-table\"><caption id=\"recent-c\">The newest ").append(s.recent().size())
                .append(" messages</caption><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Channel</th><th"
                        + " scope=\"col\">Campaign</th><th scope=\"col\">To</th><th scope=\"col\">State</th><th"
                        + " scope=\"col\">Twilio status</th><th scope=\"col\">Error</th><th scope=\"col\">Changed</th>"
                        + "</tr></thead><tbody>");
        for (Snapshot.Recent r : s.recent()) {
            b.append("<tr><th scope=\"row\">").append(r.id()).append("</th><td>").append(Html.escape(r.channel()))
                    .append("</td><td>").append(opt(r.batch())).append("</td><td>").append(Html.escape(r.recipient()))
                    .append("</td><td><span class=\"badge s-").append(r.state().dbName()).append("\">")
                    .append(r.state().dbName()).append("</span></td><td>").append(opt(r.twilioStatus())).append("</td><td>")
                    .append(code(r.code())).append("</td><td><time datetime=\"").append(r.updated()).append("\">")
                    .append(ago(s.at(), r.updated())).append("</time></td></tr>");
        }
        b.append("</tbody></table></div></section>");
    }

    // ---- formatting

    private static void cell(StringBuilder b, String id, long value) {
        b.append("<td class=\"n\" id=\"").append(id).append("\" data-value=\"").append(value).append("\">")
                .append(count(value)).append("</td>");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String rate(long part, long whole) {
        return whole == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }

    private static String opt(Optional<String> s) {
        return s.map(Html::escape).orElse("");
    }

    private static String code(OptionalInt c) {
        return c.isPresent() ? Integer.toString(c.getAsInt()) : "";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String minute(long epochMinute) {
        return DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(epochMinute * 60));
    }

    /** How long before {@code now} {@code t} was: "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
    static String ago(Instant now, Instant t) {
        long s = Duration.between(t, now).toSeconds();
        if (s < 0) {
            return "in " + ago(t, now).replace(" ago", "");
        }
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        if (s < 172_800) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " d ago";
    }

    /** The largest of each {@code n} values in a row. */
    static long[] busiest(long[] v, int n) {
        long[] out = new long[(v.length + n - 1) / n];
        for (int i = 0; i < v.length; i++) {
            out[i / n] = Math.max(out[i / n], v[i]);
        }
        return out;
    }

    private static long sum(long[] v) {
        long t = 0;
        for (long n : v) {
            t += n;
        }
        return t;
    }

    private static long max(long[] v) {
        long m = 0;
        for (long n : v) {
            m = Math.max(m, n);
        }
        return m;
    }

    /** Contrast: body text 15.8:1, muted text 7.4:1, badges at least 4.5:1 on their backgrounds. */
    private static final String CSS = String.join("",
            ":root{--fg:#1b1f24;--muted:#4a5160;--line:#c9ced6;--bg:#fff;--panel:#f4f6f8;--accent:#1f5fbf;--warn:#7a2e00}",
            "*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
            "color:var(--fg);background:var(--bg)}header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}",
            "h1{font-size:1.6rem;margin:1rem 0 .2rem}h2{font-size:1.25rem;margin:1.6rem 0 .6rem;border-bottom:2px solid",
            " var(--line);padding-bottom:.2rem}.muted{color:var(--muted)}nav ul{list-style:none;padding:0;display:flex;",
            "flex-wrap:wrap;gap:.4rem 1rem;margin:.4rem 0}a{color:var(--accent)}a:focus-visible,[tabindex]:focus-visible{",
            "outline:3px solid var(--accent);outline-offset:2px}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;",
            "top:.5rem;background:var(--bg);padding:.3rem .6rem}.cards{display:grid;grid-template-columns:repeat(auto-fit,",
            "minmax(13rem,1fr));gap:.8rem}.card{background:var(--panel);border:1px solid var(--line);border-radius:.4rem;",
            "padding:.6rem .8rem}.card p{margin:.1rem 0}.card-label{font-weight:600}.card-value{font-size:1.9rem;",
            "font-weight:700;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto;margin:.8rem 0}table{",
            "border-collapse:collapse;width:100%;font-size:.92rem;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;",
            "padding:.3rem 0}th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;",
            "vertical-align:top}thead th{background:var(--panel)}.n{text-align:right;white-space:nowrap}figure{margin:",
            ".8rem 0}figcaption{font-weight:600;margin-bottom:.2rem}svg{width:100%;height:10rem;display:block}",
            ".chart-bg{fill:var(--panel)}.bar,.area{fill:var(--accent)}.bar-in{fill:#7fa6de}.cap{stroke:#b3261e;stroke-width:2;",
            "stroke-dasharray:6 4}.cap-label{fill:#8c1d18;font-size:11px}.notice{background:var(--panel);border-left:",
            "6px solid var(--accent);padding:.6rem 1rem;margin:1rem 0}.problem{border-left-color:#b3261e}.warn{color:",
            "var(--warn)}.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.85rem;border:1px solid",
            " currentColor}.s-accepted{color:#0b6b2f}.s-rejected{color:#a3161a}.s-unknown{color:#7a2e00}.s-queued,",
            ".s-claimed,.s-sending{color:#1f4f99}code{background:var(--panel);padding:0 .2rem}",
            "@media (max-width:40rem){body{font-size:15px}.card-value{font-size:1.5rem}th,td{padding:.3rem}}");
}
