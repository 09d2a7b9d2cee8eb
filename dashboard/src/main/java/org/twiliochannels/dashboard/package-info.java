/**
 * The operator's page of an outbox: {@link org.twiliochannels.dashboard.Dashboard} renders it from
 * the outbox's database as one self-contained HTML document, to serve (the Spring Boot starter's
 * {@code twilio.dashboard.enabled}) or to write to a file ({@code twilio-channels outbox report}).
 */
package org.twiliochannels.dashboard;
