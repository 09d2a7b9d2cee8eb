package org.twiliochannels.whatsapp.content;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Template;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.content.ContentApi;
import org.twiliochannels.core.content.ContentResource;
import org.twiliochannels.core.content.TemplateStatusChange;
import org.twiliochannels.core.content.TemplateStatusListener;
import org.twiliochannels.core.content.WhatsAppApproval;

/**
 * An application's WhatsApp templates at Twilio, for one account: deployed from their definitions
 * (created only when missing, found by friendly name and language, a differing one reported),
 * submitted for approval, their status tracked, and sends that need an approved template refused
 * before the request.
 *
 * <pre>{@code
 * try (TwilioAccount account = TwilioAccount.open(config)) {
 *     WhatsAppTemplates templates = WhatsAppTemplates.builder(account)
 *             .listener(change -> log.info("template {}", change))
 *             .build();
 *     for (TemplateDeployment d : templates.deployAll(ContentTemplates.read(Path.of("templates.json")))) {
 *         if (d.outcome() == TemplateDeployment.Outcome.CREATED) {
 *             templates.submit(d.template(), TemplateCategory.UTILITY);
 *         }
 *     }
 *     templates.poll();                       // e.g. every 10 minutes, from the application's scheduler
 *     Template t = templates.template(confirmation, SessionWindow.CLOSED, Map.of("1", "Grace", "2", "Friday 10 am"));
 *     whatsapp.send(Message.template("+14155551234", t));
 * }
 * }</pre>
 *
 * <p>Every call to Twilio goes through {@link TwilioAccount#content()}: the account's transport,
 * credentials and deadlines. The statuses seen are kept in memory; {@link #poll()} reads them again
 * and tells the listeners of every change. A paused or disabled template is an incident: a WARN log
 * line, the change's {@link TemplateStatusChange#incident()}, and {@link #incidents()} (for a health
 * check) until it is approved again. Thread-safe.
 */
public final class WhatsAppTemplates {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.whatsapp.templates");

    private final ContentApi content;
    private final Clock clock;
    private final List<TemplateStatusListener> listeners;
    /** Deployed templates by key (friendly name + NUL + language). */
    private final Map<String, TemplateDeployment> deployed = new ConcurrentHashMap<>();
    private final Map<ContentSid, WhatsAppApproval> seen = new ConcurrentHashMap<>();
    private final Map<ContentSid, TemplateStatusChange> incidents = new ConcurrentHashMap<>();

    private WhatsAppTemplates(Builder b) {
        this.content = b.account.content();
        this.clock = b.clock;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    }

    /** A builder for the templates of {@code account}. */
    public static Builder builder(TwilioAccount account) {
        return new Builder(account);
    }

    /**
     * Deploys one template: {@link #deployAll} of one.
     *
     * @throws TwilioChannelsException when Twilio has several resources with its name and language, or cannot be read
     */
    public TemplateDeployment deploy(ContentTemplate template) {
        return deployAll(List.of(Objects.requireNonNull(template, "template"))).get(0);
    }

    /**
     * Deploys templates idempotently: one listing of the account's Content resources, then for each
     * template the resource with its friendly name and language — none: created
     * ({@link TemplateDeployment.Outcome#CREATED}); one equal to the definition: used
     * ({@link TemplateDeployment.Outcome#FOUND}); one that differs: reported
     * ({@link TemplateDeployment.Outcome#DIFFERS}, with the differing fields, logged at WARN) and
     * neither is used: sends of it are refused until one of them changes.
     *
     * @throws TwilioChannelsException when Twilio has several resources with one template's name and
     *                                 language (naming their SIDs), or a call fails
     */
    public List<TemplateDeployment> deployAll(Collection<ContentTemplate> templates) {
        Objects.requireNonNull(templates, "templates");
        List<ContentResource> existing = content.list();
        List<TemplateDeployment> out = new ArrayList<>();
        for (ContentTemplate t : templates) {
            List<ContentResource> same = existing.stream().filter(r -> r.is(t.friendlyName(), t.language())).toList();
            TemplateDeployment d;
            if (same.size() > 1) {
                throw new TwilioChannelsException(name(t) + ": Twilio has " + same.size() + " Content resources with"
                        + " this friendly name and language (" + same.stream().map(r -> r.sid().value()).toList()
                        + "); delete all but one in Twilio Console > Messaging > Content Template Builder.");
            } else if (same.isEmpty()) {
                ContentResource created = content.create(t.createRequestJson());
                d = new TemplateDeployment(t, created.sid(), TemplateDeployment.Outcome.CREATED, List.of());
                LOG.info("WhatsApp template {} created as {}", name(t), created.sid());
            } else {
                List<String> differences = t.differences(same.get(0).json());
                d = new TemplateDeployment(t, same.get(0).sid(), differences.isEmpty()
                        ? TemplateDeployment.Outcome.FOUND : TemplateDeployment.Outcome.DIFFERS, differences);
                if (!differences.isEmpty()) {
                    LOG.warn("WhatsApp template {}: the definition differs from Twilio's {} in {}; neither is used"
                            + " until one changes (rename the definition, e.g. with _v2, or delete Twilio's)",
                            name(t), d.sid(), differences);
                }
            }
            deployed.put(key(t), d);
            out.add(d);
        }
        return List.copyOf(out);
    }

    /** The deployment of {@code template} seen by {@link #deployAll}, if it was deployed. */
    public Optional<TemplateDeployment> deployment(ContentTemplate template) {
        return Optional.ofNullable(deployed.get(key(Objects.requireNonNull(template, "template"))));
    }

    /**
     * Submits a deployed template for WhatsApp approval under its friendly name (which must then be a
     * WhatsApp template name: lower-case letters, digits, underscores).
     */
    public WhatsAppApproval submit(ContentTemplate template, TemplateCategory category) {
        return submit(template, Objects.requireNonNull(template, "template").friendlyName(), category);
    }

    /**
     * Submits a deployed template for WhatsApp approval with {@code name} and {@code category}; the
     * answer's status is recorded (and told to the listeners when it changed).
     *
     * @throws IllegalStateException    when the template was not deployed, or differs from Twilio's
     * @throws IllegalArgumentException for a name WhatsApp does not take, before any request
     */
    public WhatsAppApproval submit(ContentTemplate template, String name, TemplateCategory category) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        TemplateDeployment d = usable(template);
        return record(d.template(), content.requestWhatsAppApproval(d.sid(), name, category.name()));
    }

    /** Reads a deployed template's approval status from Twilio now, and records it. */
    public WhatsAppApproval status(ContentTemplate template) {
        TemplateDeployment d = deployed(template);
        return record(d.template(), content.whatsAppApproval(d.sid()));
    }

    /**
     * Reads the approval status of every deployed template (one request each) and tells the
     * listeners of every change; call it from the application's scheduler. A template whose status
     * cannot be read is logged at WARN and skipped; the others are read.
     *
     * @return the approvals read, in no particular order
     */
    public List<WhatsAppApproval> poll() {
        List<WhatsAppApproval> out = new ArrayList<>();
        for (TemplateDeployment d : deployed.values()) {
            try {
                out.add(record(d.template(), content.whatsAppApproval(d.sid())));
            } catch (TwilioChannelsException e) {
                LOG.warn("WhatsApp template {}: its approval status could not be read: {}", name(d.template()),
                        e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** The templates now paused or disabled, as last seen: empty when all is well (a health check's input). */
    public List<TemplateStatusChange> incidents() {
        return List.copyOf(incidents.values());
    }

    /**
     * The {@link Template} for one send of {@code template}, checked before any request: the
     * variables (every placeholder given, none extra, each within WhatsApp's limits) and, when the
     * send needs an approved template (the window is {@link SessionWindow#CLOSED}, or the template
     * has a type WhatsApp takes only approved: call to action, card, authentication), its approval:
     * the status last seen, read from Twilio once when none was seen yet.
     *
     * @param values a value for each placeholder, by number
     * @throws org.twiliochannels.core.InvalidMessageException for a missing, extra or invalid variable
     * @throws TemplateNotApprovedException when the send needs an approved template and this one is not,
     *                                      naming its status; or a list picker outside the window
     * @throws IllegalStateException        when the template was not deployed, or differs from Twilio's
     */
    public Template template(ContentTemplate template, SessionWindow window, Map<String, String> values) {
        Objects.requireNonNull(window, "window");
        TemplateVariables variables = TemplateVariables.of(Objects.requireNonNull(template, "template"), values);
        TemplateDeployment d = usable(template);
        Set<String> types = typeIds(template);
        if (window == SessionWindow.CLOSED && types.contains(ContentType.ListPicker.ID)) {
            throw new TemplateNotApprovedException(ApprovalStatus.UNSUBMITTED, name(template) + " " + d.sid()
                    + " is a list picker, which WhatsApp never approves: send it inside the 24-hour window only"
                    + " (SessionWindow.OPEN), or send an approved template outside it.");
        }
        Optional<String> approvalOnly = types.stream().filter(APPROVAL_ONLY::contains).findFirst();
        if (window == SessionWindow.CLOSED || approvalOnly.isPresent()) {
            WhatsAppApproval a = Optional.ofNullable(seen.get(d.sid()))
                    .orElseGet(() -> record(template, content.whatsAppApproval(d.sid())));
            if (!a.status().approved()) {
                String why = window == SessionWindow.CLOSED ? "outside the 24-hour window WhatsApp delivers only"
                        + " approved templates" : approvalOnly.get() + " is a type WhatsApp delivers only approved";
                throw new TemplateNotApprovedException(a.status(), name(template) + " " + d.sid() + " is "
                        + a.describe() + "; " + why + ". " + advice(a.status()));
            }
        }
        return variables.template(d.sid());
    }

    private static final Set<String> APPROVAL_ONLY = Set.of(ContentType.CallToAction.ID, ContentType.Card.ID,
            ContentType.WhatsAppAuthentication.ID);

    private static String advice(ApprovalStatus s) {
        return switch (s) {
            case UNSUBMITTED -> "Submit it (WhatsAppTemplates.submit, or: twilio-channels templates submit NAME"
                    + " --category UTILITY) and wait for approval.";
            case RECEIVED, PENDING -> "Wait for WhatsApp's review (poll() tells when it changes).";
            case REJECTED -> "Fix what the reason says under a new friendly name, deploy and submit it again.";
            case PAUSED -> "WhatsApp paused it after poor feedback; it resumes by itself or is disabled: use"
                    + " another approved template meanwhile.";
            case DISABLED -> "WhatsApp disabled it for good: create a new template.";
            case APPROVED, UNKNOWN -> "Check its status in Twilio Console > Messaging > Content Template Builder.";
        };
    }

    private static Set<String> typeIds(ContentTemplate t) {
        Set<String> ids = new java.util.HashSet<>();
        t.types().forEach(type -> ids.add(type.id()));
        return ids;
    }

    private TemplateDeployment deployed(ContentTemplate template) {
        Objects.requireNonNull(template, "template");
        TemplateDeployment d = deployed.get(key(template));
        if (d == null) {
            throw new IllegalStateException(name(template) + " is not deployed: call deploy(template) first (it finds"
                    + " the template at Twilio or creates it).");
        }
        return d;
    }

    private TemplateDeployment usable(ContentTemplate template) {
        TemplateDeployment d = deployed(template);
        if (d.outcome() == TemplateDeployment.Outcome.DIFFERS) {
            throw new IllegalStateException(name(template) + " differs from Twilio's " + d.sid() + " in "
                    + d.differences() + "; neither is used. Give the definition a new friendly name (e.g. with _v2)"
                    + " or delete Twilio's, then deploy again.");
        }
        return d;
    }

    /** Records an approval seen and tells the listeners when its status or reason changed. */
    private WhatsAppApproval record(ContentTemplate t, WhatsAppApproval now) {
        WhatsAppApproval before = seen.put(now.sid(), now);
        if (before != null && before.status() == now.status() && before.rejectionReason().equals(now.rejectionReason())) {
            return now;
        }
        TemplateStatusChange change = new TemplateStatusChange(t.friendlyName(), t.language(),
                Optional.ofNullable(before).map(WhatsAppApproval::status), now, clock.instant());
        if (change.incident()) {
            incidents.put(now.sid(), change);
            LOG.warn("WhatsApp template {} is {}: WhatsApp does not deliver it; {}", change, now.status().twilioName(),
                    advice(now.status()));
        } else {
            incidents.remove(now.sid());
            LOG.info("WhatsApp template {}", change);
        }
        for (TemplateStatusListener l : listeners) {
            try {
                l.statusChanged(change);
            } catch (RuntimeException e) {
                LOG.warn("template status listener {} threw {}; ignored", l.getClass().getName(),
                        e.getClass().getName());
            }
        }
        return now;
    }

    private static String key(ContentTemplate t) {
        return t.friendlyName() + "\u0000" + t.language();
    }

    private static String name(ContentTemplate t) {
        return "template \"" + t.friendlyName() + "\" (" + t.language() + ")";
    }

    /** Builds {@link WhatsAppTemplates}. */
    public static final class Builder {
        private final TwilioAccount account;
        private final List<TemplateStatusListener> listeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(TwilioAccount account) {
            this.account = Objects.requireNonNull(account, "account");
        }

        /** Adds a listener told of every status change (must be fast, must not throw). */
        public Builder listener(TemplateStatusListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The clock that dates status changes. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The templates of the account. */
        public WhatsAppTemplates build() {
            return new WhatsAppTemplates(this);
        }
    }
}
