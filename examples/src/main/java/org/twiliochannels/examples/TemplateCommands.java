package org.twiliochannels.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.content.ContentApi;
import org.twiliochannels.core.content.ContentResource;
import org.twiliochannels.core.content.WhatsAppApproval;
import org.twiliochannels.whatsapp.content.ContentTemplate;
import org.twiliochannels.whatsapp.content.ContentTemplates;
import org.twiliochannels.whatsapp.content.InvalidTemplateException;
import org.twiliochannels.whatsapp.content.TemplateCategory;
import org.twiliochannels.whatsapp.content.TemplateDeployment;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The command line's WhatsApp templates: {@code templates list}, {@code show NAME|HX…},
 * {@code create FILE}, {@code submit NAME --category …} and {@code status NAME}, on the account's
 * Content API. A NAME is a friendly name; {@code --language} picks one when several languages have it.
 */
final class TemplateCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateCommands() {}

    /** {@code templates}: commands on the account's Content templates. */
    @Command(name = "templates", mixinStandardHelpOptions = true, description = "List, show, create and submit WhatsApp"
            + " templates (Twilio's Content API).", subcommands = {ListTemplates.class, Show.class, Create.class,
                Submit.class, Status.class})
    static final class Group implements Runnable {
        @ParentCommand
        Cli cli;

        @Override
        public void run() {
            cli.err.println("Give a subcommand: templates list | show NAME|HX… | create FILE | submit NAME --category"
                    + " UTILITY|MARKETING|AUTHENTICATION | status NAME");
        }
    }

    /** What a subcommand does with the account. */
    @FunctionalInterface
    interface Action {
        int run(TwilioAccount account, PrintWriter out, PrintWriter err);
    }

    /** Opens the account from the settings, runs {@code action}, and maps failures to exit codes. */
    static int withAccount(Group group, EnvFileOption envFile, Action action) {
        Cli cli = group.cli;
        try (TwilioAccount account = TwilioAccount.open(cli.environment(envFile).toConfig())) {
            return action.run(account, cli.out, cli.err);
        } catch (IllegalArgumentException | ChannelConfigurationException | InvalidTemplateException e) {
            cli.err.println(e.getMessage());
            return Cli.USAGE;
        } catch (TwilioChannelsException e) {
            cli.err.println(e.getMessage());
            return Cli.REJECTED;
        }
    }

    /** One line per template: SID, name, language, types, approval status. */
    static void printList(ContentApi content, PrintWriter out, String indent) {
        List<ContentResource> all = content.list();
        if (all.isEmpty()) {
            out.println(indent + "no templates");
        }
        for (ContentResource r : all) {
            out.println(indent + r.sid() + "  " + r.friendlyName() + " (" + r.language() + ")  " + types(r) + "  "
                    + content.whatsAppApproval(r.sid()).describe());
        }
    }

    /**
     * The templates as the doctor's JSON {@code "templates"} array: one object per template with
     * {@code sid}, {@code friendlyName}, {@code language}, {@code types}, {@code status} (Twilio's
     * word) and {@code rejectionReason} (null unless Twilio gives one).
     */
    static ArrayNode jsonList(ContentApi content) {
        ArrayNode out = JSON.createArrayNode();
        for (ContentResource r : content.list()) {
            WhatsAppApproval a = content.whatsAppApproval(r.sid());
            ObjectNode n = out.addObject();
            n.put("sid", r.sid().value());
            n.put("friendlyName", r.friendlyName());
            n.put("language", r.language());
            ArrayNode types = n.putArray("types");
            typeIds(r).ifPresent(ids -> ids.forEach(types::add));
            n.put("status", a.status().twilioName());
            n.put("rejectionReason", a.rejectionReason().orElse(null));
        }
        return out;
    }

    private static String types(ContentResource r) {
        return typeIds(r).map(ids -> String.join(",", ids)).orElse("?");
    }

    /** The resource's content type ids; empty when its JSON cannot be read. */
    private static Optional<List<String>> typeIds(ContentResource r) {
        List<String> ids = new ArrayList<>();
        try {
            JSON.readTree(r.json()).path("types").fieldNames().forEachRemaining(ids::add);
        } catch (java.io.IOException unreadable) {
            return Optional.empty();
        }
        return Optional.of(ids);
    }

    /**
     * The resource named {@code nameOrSid}: a SID, or a friendly name (in {@code language} when
     * given); an error naming the choices when there is none or more than one.
     */
    static ContentResource find(ContentApi content, String nameOrSid, String language) {
        Optional<ContentSid> sid = ContentSid.parse(nameOrSid);
        if (sid.isPresent()) {
            return content.fetch(sid.get()).orElseThrow(() -> new TwilioChannelsException("Twilio has no Content"
                    + " resource " + sid.get() + "; `templates list` shows the account's templates."));
        }
        List<ContentResource> all = content.list();
        List<ContentResource> named = all.stream().filter(r -> r.friendlyName().equals(nameOrSid)
                && (language == null || r.language().equals(language))).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.isEmpty()) {
            throw new TwilioChannelsException("no template \"" + nameOrSid + "\"" + (language == null ? ""
                    : " (" + language + ")") + " at Twilio; `templates list` shows the account's templates,"
                    + " `templates create FILE` creates them.");
        }
        throw new IllegalArgumentException("\"" + nameOrSid + "\" is a template in " + named.stream()
                .map(ContentResource::language).toList() + "; give --language, e.g. --language "
                + named.get(0).language() + ".");
    }

    /** The template a command is about: {@code NAME|HX…}, {@code --language}, and the settings file. */
    static final class Named {
        @Parameters(index = "0", paramLabel = "NAME|HX…", description = "The friendly name or the Content SID.")
        String name;

        @Option(names = "--language", description = "The language, when several have the name.")
        String language;

        @Mixin
        EnvFileOption envFile;
    }

    /** {@code templates list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the account's templates with their"
            + " WhatsApp approval status.")
    static final class ListTemplates implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Mixin
        EnvFileOption envFile;

        @Override
        public Integer call() {
            return withAccount(group, envFile, (account, out, err) -> {
                printList(account.content(), out, "");
                return Cli.OK;
            });
        }
    }

    /** {@code templates show NAME|HX…}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a template as Twilio has it, and its"
            + " approval status.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Mixin
        Named template;

        @Override
        public Integer call() {
            return withAccount(group, template.envFile, (account, out, err) -> {
                ContentResource r = find(account.content(), template.name, template.language);
                WhatsAppApproval a = account.content().whatsAppApproval(r.sid());
                out.println(r.sid() + "  " + r.friendlyName() + " (" + r.language() + ")  WhatsApp: " + a.describe()
                        + a.category().map(c -> ", " + c).orElse(""));
                try {
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(r.json())));
                } catch (java.io.IOException e) {
                    out.println(r.json());
                }
                return Cli.OK;
            });
        }
    }

    /** {@code templates create FILE}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create the templates of a definition file"
            + " that Twilio does not have yet (found by friendly name and language); report those that differ.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Parameters(index = "0", paramLabel = "FILE", description = "The definition file (docs/templates.md).")
        Path file;

        @Mixin
        EnvFileOption envFile;

        @Override
        public Integer call() {
            List<ContentTemplate> definitions;
            try {
                definitions = ContentTemplates.read(file);
            } catch (InvalidTemplateException | java.io.UncheckedIOException e) {
                group.cli.err.println(e.getMessage());
                return Cli.USAGE;
            }
            return withAccount(group, envFile, (account, out, err) -> {
                int exit = Cli.OK;
                for (TemplateDeployment d : WhatsAppTemplates.builder(account).build().deployAll(definitions)) {
                    out.println(d);
                    if (d.outcome() == TemplateDeployment.Outcome.DIFFERS) {
                        exit = Cli.REJECTED;
                    }
                }
                if (exit != Cli.OK) {
                    err.println("A definition differs from Twilio's template of the same name and language; neither"
                            + " was changed. Give the definition a new friendly name (e.g. with _v2) or delete"
                            + " Twilio's, then run create again.");
                }
                return exit;
            });
        }
    }

    /** {@code templates submit NAME --category …}. */
    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a template for WhatsApp approval.")
    static final class Submit implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Mixin
        Named template;

        @Option(names = "--category", required = true, description = "UTILITY, MARKETING or AUTHENTICATION.")
        TemplateCategory category;

        @Option(names = "--name", description = "The WhatsApp template name (default: the friendly name).")
        String whatsAppName;

        @Override
        public Integer call() {
            return withAccount(group, template.envFile, (account, out, err) -> {
                ContentResource r = find(account.content(), template.name, template.language);
                WhatsAppApproval a = account.content().requestWhatsAppApproval(r.sid(),
                        whatsAppName == null ? r.friendlyName() : whatsAppName, category.name());
                out.println(r.sid() + "  " + r.friendlyName() + " (" + r.language() + ") submitted as "
                        + a.name().orElse(r.friendlyName()) + ", " + category + ": " + a.describe());
                return Cli.OK;
            });
        }
    }

    /** {@code templates status NAME}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a template's WhatsApp approval"
            + " status (and the rejection reason). Exit 1 unless approved.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Mixin
        Named template;

        @Override
        public Integer call() {
            return withAccount(group, template.envFile, (account, out, err) -> {
                ContentResource r = find(account.content(), template.name, template.language);
                WhatsAppApproval a = account.content().whatsAppApproval(r.sid());
                out.println(r.sid() + "  " + r.friendlyName() + " (" + r.language() + ")  " + a.describe());
                return a.status().approved() ? Cli.OK : Cli.REJECTED;
            });
        }
    }
}
