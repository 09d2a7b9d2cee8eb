/** The whatsapp channel's ServiceLoader registration. Not API. */
package org.twiliochannels.whatsapp.internal;
