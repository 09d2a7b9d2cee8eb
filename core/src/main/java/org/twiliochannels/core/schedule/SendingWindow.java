package org.twiliochannels.core.schedule;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The local times of day at which a message may be sent, e.g. 08:00–21:00: open from {@code start}
 * (included) until {@code end} (excluded), in the recipient's time zone. An {@code end} of 00:00
 * means midnight at the end of the day, so 00:00–00:00 is the whole day ({@link #ALL_DAY}).
 *
 * <p>A window lies within one local day: one that would run across midnight (22:00–06:00) is
 * refused rather than read one way or the other. Windows are for sending, and a window open at
 * night is what quiet hours exist to prevent; an application that truly needs it splits it in two
 * and checks both. Times are whole minutes.
 *
 * @param start the first local time a message may go, whole minutes
 * @param end   the local time from which no message goes, whole minutes; 00:00 for midnight
 */
public record SendingWindow(LocalTime start, LocalTime end) {
    /** The whole day: never closed. */
    public static final SendingWindow ALL_DAY = new SendingWindow(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    /** Validates. */
    public SendingWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        wholeMinutes("start", start);
        wholeMinutes("end", end);
        if (!end.equals(LocalTime.MIDNIGHT) && !end.isAfter(start)) {
            throw new IllegalArgumentException("end " + end + " is " + (end.equals(start) ? "equal to" : "before")
                    + " start " + start + ": a sending window is open from start until end within one local day;"
                    + " give an end after the start (e.g. 08:00–21:00), 00:00 for midnight, or split a window that"
                    + " runs across midnight in two");
        }
    }

    /**
     * Parses {@code "08:00"} and {@code "21:00"}.
     *
     * @throws IllegalArgumentException naming the field whose text is not {@code HH:MM}
     */
    public static SendingWindow of(String start, String end) {
        return new SendingWindow(parse("start", start), parse("end", end));
    }

    /** True when {@code localTime} is inside the window. */
    public boolean contains(LocalTime localTime) {
        Objects.requireNonNull(localTime, "localTime");
        return !localTime.isBefore(start) && (end.equals(LocalTime.MIDNIGHT) || localTime.isBefore(end));
    }

    /** True for {@link #ALL_DAY}. */
    public boolean isAllDay() {
        return start.equals(LocalTime.MIDNIGHT) && end.equals(LocalTime.MIDNIGHT);
    }

    /** {@code 08:00–21:00}. */
    @Override
    public String toString() {
        return start + "\u2013" + end;
    }

    private static void wholeMinutes(String field, LocalTime time) {
        if (!time.truncatedTo(ChronoUnit.MINUTES).equals(time)) {
            throw new IllegalArgumentException(field + " " + time + " must be whole minutes, e.g. "
                    + time.truncatedTo(ChronoUnit.MINUTES));
        }
    }

    private static LocalTime parse(String field, String text) {
        Objects.requireNonNull(text, field);
        if (!text.matches("[0-9]{2}:[0-9]{2}")) {
            throw new IllegalArgumentException(field + " \"" + text + "\" must be a local time HH:MM, e.g. \"08:00\"");
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " \"" + text + "\" must be a local time HH:MM between 00:00"
                    + " and 23:59 (00:00 as end for midnight), e.g. \"21:00\"", e);
        }
    }
}
