/**
 * When a message may go: its {@link org.twiliochannels.core.schedule.MessageCategory}, the
 * recipient's time zones from the number ({@link org.twiliochannels.core.schedule.RecipientTimeZones},
 * libphonenumber's data shipped with its licence), {@link
 * org.twiliochannels.core.schedule.QuietHours} with {@link
 * org.twiliochannels.core.schedule.SendingWindow}s per category and country (a send in a closed
 * window is refused with {@link org.twiliochannels.core.schedule.QuietHoursException}), {@link
 * org.twiliochannels.core.schedule.FrequencyCap}s, and the {@link
 * org.twiliochannels.core.schedule.ContentFingerprint} that finds duplicates. Every decision takes
 * the current instant as an argument: nothing here reads a clock, makes a request or needs a
 * database.
 */
package org.twiliochannels.core.schedule;
