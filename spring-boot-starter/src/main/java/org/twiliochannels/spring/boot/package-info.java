/**
 * Spring Boot auto-configuration for twilio-channels: the {@code twilio.*} properties
 * ({@link org.twiliochannels.spring.boot.TwilioProperties}) checked by the library's doctor, the
 * {@link org.twiliochannels.core.TwilioAccount} and one {@link org.twiliochannels.core.Channel} bean
 * per configured channel, the {@code twilio} health contributor, Micrometer metrics, and verified
 * webhook endpoints that publish {@link org.twiliochannels.core.webhook.InboundMessage} and
 * {@link org.twiliochannels.core.webhook.StatusCallback} as application events.
 */
package org.twiliochannels.spring.boot;
