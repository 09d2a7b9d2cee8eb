/** The sms channel's ServiceLoader registration. Not API. */
package org.twiliochannels.sms.internal;
