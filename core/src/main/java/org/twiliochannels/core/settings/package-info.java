/**
 * Twilio settings as data: {@link org.twiliochannels.core.settings.TwilioEnvironment} reads the
 * keys of one registry from code, system properties, environment variables and a {@code .env}
 * file, checks them offline (or live, with one API call each) into a
 * {@link org.twiliochannels.core.settings.SetupReport}, and builds a
 * {@link org.twiliochannels.core.TwilioConfig}. No public method returns a secret in clear, and a
 * value that looks like a secret is never echoed, whatever key it was put in.
 */
package org.twiliochannels.core.settings;
