/**
 * Test support for applications that send messages with twilio-channels: {@link
 * org.twiliochannels.testing.FakeTwilio}, a fake of Twilio's Messages API on loopback.
 */
package org.twiliochannels.testing;
