package org.twiliochannels.core.content;

import java.util.List;
import java.util.Optional;
import org.twiliochannels.core.ContentSid;

/**
 * Twilio's Content API for one account ({@link org.twiliochannels.core.TwilioAccount#content()}):
 * the account's transport, credentials, retry policy and send deadline, no SDK global state. Reads
 * (list, fetch, approval status) are retried on 429, 5xx and lost answers, as the account's other
 * reads are. A create whose answer is lost is settled by listing the account's Content resources
 * for its friendly name and language: found, it is the result; absent, it is sent again; otherwise
 * {@link org.twiliochannels.core.DeliveryUnknownException}. An approval request is repeated only when
 * it surely did not reach Twilio.
 *
 * <p>Failures: {@link org.twiliochannels.core.TwilioRejectedException} (Twilio refused, with its
 * code), {@link org.twiliochannels.core.TwilioUnreachableException}, and
 * {@link org.twiliochannels.core.ClientClosedException} after the account is closed.
 */
public interface ContentApi {
    /** Every Content resource of the account, all pages, in Twilio's order. */
    List<ContentResource> list();

    /** The Content resource {@code sid}; empty when Twilio has none (404). */
    Optional<ContentResource> fetch(ContentSid sid);

    /**
     * Creates a Content resource from a create request body ({@code ContentCreateRequest}: at least
     * {@code friendly_name}, {@code language} and {@code types}).
     *
     * @param createRequestJson the body, e.g. {@code ContentTemplate.createRequestJson()}
     * @throws IllegalArgumentException when the body is not a JSON object with a friendly name and language
     */
    ContentResource create(String createRequestJson);

    /**
     * Submits {@code sid} for WhatsApp approval
     * ({@code POST /v1/Content/{sid}/ApprovalRequests/whatsapp} with {@code name} and {@code category}).
     *
     * @param name     the template name WhatsApp sees: lower-case letters, digits and underscores
     * @param category {@code UTILITY}, {@code MARKETING} or {@code AUTHENTICATION}
     * @throws IllegalArgumentException for a name or category WhatsApp does not take, before any request
     */
    WhatsAppApproval requestWhatsAppApproval(ContentSid sid, String name, String category);

    /** The WhatsApp approval status of {@code sid} ({@link ApprovalStatus#UNSUBMITTED} before a request). */
    WhatsAppApproval whatsAppApproval(ContentSid sid);
}
