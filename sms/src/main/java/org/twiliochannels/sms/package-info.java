/** The SMS channel. Entry point: {@link org.twiliochannels.sms.SmsChannel}. */
package org.twiliochannels.sms;
