package org.twiliochannels.whatsapp.content;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The Content API's JSON for templates: the create request written from a definition, a definition
 * read from the same shape (the definition file), and the differences from a fetched resource.
 * Jackson stays inside this class.
 */
final class ContentJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Every type this version reads, in the order the docs list them. */
    static final List<String> KNOWN_TYPES = List.of(ContentType.Text.ID, ContentType.Media.ID,
            ContentType.QuickReply.ID, ContentType.ListPicker.ID, ContentType.CallToAction.ID, ContentType.Card.ID,
            ContentType.WhatsAppAuthentication.ID);

    private ContentJson() {}

    static ObjectNode createRequest(ContentTemplate t) {
        ObjectNode body = NODES.objectNode();
        body.put("friendly_name", t.friendlyName());
        body.put("language", t.language());
        ObjectNode vars = body.putObject("variables");
        t.variables().forEach(vars::put);
        body.set("types", types(t.types()));
        return body;
    }

    static ObjectNode types(Collection<ContentType> types) {
        ObjectNode node = NODES.objectNode();
        for (ContentType t : types) {
            node.set(t.id(), type(t));
        }
        return node;
    }

    private static ObjectNode type(ContentType type) {
        ObjectNode n = NODES.objectNode();
        if (type instanceof ContentType.Text t) {
            n.put("body", t.body());
        } else if (type instanceof ContentType.Media t) {
            t.body().ifPresent(b -> n.put("body", b));
            t.media().forEach(n.putArray("media")::add);
        } else if (type instanceof ContentType.QuickReply t) {
            n.put("body", t.body());
            ArrayNode actions = n.putArray("actions");
            t.buttons().forEach(b -> actions.addObject().put("title", b.title()).put("id", b.id()));
        } else if (type instanceof ContentType.ListPicker t) {
            n.put("body", t.body());
            n.put("button", t.button());
            ArrayNode items = n.putArray("items");
            for (ContentType.ListItem i : t.items()) {
                ObjectNode item = items.addObject().put("id", i.id()).put("item", i.title());
                i.description().ifPresent(d -> item.put("description", d));
            }
        } else if (type instanceof ContentType.CallToAction t) {
            n.put("body", t.body());
            actions(n.putArray("actions"), t.actions());
        } else if (type instanceof ContentType.Card t) {
            n.put("title", t.title());
            t.subtitle().ifPresent(s -> n.put("subtitle", s));
            if (!t.media().isEmpty()) {
                t.media().forEach(n.putArray("media")::add);
            }
            if (!t.actions().isEmpty()) {
                actions(n.putArray("actions"), t.actions());
            }
        } else if (type instanceof ContentType.WhatsAppAuthentication t) {
            n.put("add_security_recommendation", t.addSecurityRecommendation());
            t.codeExpirationMinutes().ifPresent(m -> n.put("code_expiration_minutes", m));
            n.putArray("actions").addObject().put("type", "COPY_CODE").put("copy_code_text", t.copyCodeText());
        }
        return n;
    }

    private static void actions(ArrayNode into, List<ContentType.Action> actions) {
        for (ContentType.Action a : actions) {
            into.addObject().put("type", a.kind().name()).put("title", a.title()).put(a.valueField(), a.value());
        }
    }

    /** Every string in {@code types} by its path, e.g. {@code types.twilio/text.body}. */
    static Map<String, String> strings(ObjectNode types) {
        Map<String, String> out = new LinkedHashMap<>();
        collect("types", types, out);
        return out;
    }

    private static void collect(String path, JsonNode node, Map<String, String> out) {
        if (node.isTextual()) {
            out.put(path, node.textValue());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> collect(path + "." + e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(path + "[" + i + "]", node.get(i), out);
            }
        }
    }

    // ---- reading a definition (the file format is the create request's shape) ----

    /** A template from one entry of a definition file; errors are prefixed with the template. */
    static ContentTemplate read(JsonNode node, String at) {
        Fields f = new Fields(node, at);
        f.only("friendly_name", "language", "variables", "types");
        String name = f.string("friendly_name");
        String language = f.string("language");
        String prefix = ContentTemplate.prefix(name, language);
        ContentTemplate.Builder b;
        try {
            b = ContentTemplate.builder(name, language);
            JsonNode vars = f.optional("variables");
            if (vars != null) {
                Fields v = new Fields(vars, "variables");
                for (String key : v.names()) {
                    b.variable(key, v.string(key));
                }
            }
            JsonNode types = f.optional("types");
            if (types == null) {
                throw new InvalidTemplateException("types", "is missing; give at least one content type, e.g."
                        + " \"twilio/text\": {\"body\": \"…\"}.");
            }
            Fields t = new Fields(types, "types");
            for (String id : t.names()) {
                if (!KNOWN_TYPES.contains(id)) {
                    throw new InvalidTemplateException("types." + id, "is not a content type this library knows; the"
                            + " known types are " + String.join(", ", KNOWN_TYPES) + ".");
                }
                b.type(type(id, new Fields(t.node.get(id), "types." + id)));
            }
        } catch (InvalidTemplateException e) {
            throw e.getMessage().startsWith(prefix) ? e : e.in(prefix);
        }
        return b.build();
    }

    private static ContentType type(String id, Fields f) {
        switch (id) {
            case ContentType.Text.ID:
                f.only("body");
                return new ContentType.Text(f.string("body"));
            case ContentType.Media.ID:
                f.only("body", "media");
                return new ContentType.Media(f.optionalString("body"), f.strings("media"));
            case ContentType.QuickReply.ID: {
                f.only("body", "actions");
                List<ContentType.Button> buttons = new ArrayList<>();
                for (Fields a : f.objects("actions")) {
                    a.only("type", "title", "id");
                    a.optionalString("type").filter(type -> !type.equals("QUICK_REPLY")).ifPresent(type -> {
                        throw new InvalidTemplateException(a.at + ".type", "is \"" + type + "\"; a quick reply's"
                                + " buttons are QUICK_REPLY (or leave type out).");
                    });
                    buttons.add(new ContentType.Button(a.string("id"), a.string("title")));
                }
                return new ContentType.QuickReply(f.string("body"), buttons);
            }
            case ContentType.ListPicker.ID: {
                f.only("body", "button", "items");
                List<ContentType.ListItem> items = new ArrayList<>();
                for (Fields i : f.objects("items")) {
                    i.only("id", "item", "description");
                    items.add(new ContentType.ListItem(i.string("id"), i.string("item"), i.optionalString("description")));
                }
                return new ContentType.ListPicker(f.string("body"), f.string("button"), items);
            }
            case ContentType.CallToAction.ID:
                f.only("body", "actions");
                return new ContentType.CallToAction(f.string("body"), actions(f.objects("actions")));
            case ContentType.Card.ID:
                f.only("title", "subtitle", "media", "actions");
                return new ContentType.Card(f.string("title"), f.optionalString("subtitle"),
                        f.optional("media") == null ? List.of() : f.strings("media"),
                        f.optional("actions") == null ? List.of() : actions(f.objects("actions")));
            default: {
                f.only("add_security_recommendation", "code_expiration_minutes", "actions");
                List<Fields> actions = f.objects("actions");
                if (actions.size() != 1) {
                    throw new InvalidTemplateException(f.at + ".actions", "has " + actions.size() + " buttons; an"
                            + " authentication template has exactly one, {\"type\": \"COPY_CODE\", \"copy_code_text\": \"…\"}.");
                }
                Fields a = actions.get(0);
                a.only("type", "copy_code_text");
                if (!"COPY_CODE".equals(a.string("type"))) {
                    throw new InvalidTemplateException(a.at + ".type", "is \"" + a.string("type") + "\"; an"
                            + " authentication template's button is COPY_CODE.");
                }
                return new ContentType.WhatsAppAuthentication(f.optionalBoolean("add_security_recommendation", true),
                        f.optionalInt("code_expiration_minutes"), a.string("copy_code_text"));
            }
        }
    }

    private static List<ContentType.Action> actions(List<Fields> nodes) {
        List<ContentType.Action> out = new ArrayList<>();
        for (Fields a : nodes) {
            String type = a.string("type");
            ContentType.Action.Kind kind;
            try {
                kind = ContentType.Action.Kind.valueOf(type);
            } catch (IllegalArgumentException e) {
                throw new InvalidTemplateException(a.at + ".type", "is \"" + type + "\"; the button types this library"
                        + " knows are URL, PHONE_NUMBER and QUICK_REPLY.");
            }
            ContentType.Action probe = new ContentType.Action(kind, "", "");
            a.only("type", "title", probe.valueField());
            out.add(new ContentType.Action(kind, a.string("title"), a.string(probe.valueField())));
        }
        return out;
    }

    /** The fields of one JSON object of a definition, with errors that name their path. */
    private static final class Fields {
        final JsonNode node;
        final String at;

        Fields(JsonNode node, String at) {
            if (node == null || !node.isObject()) {
                throw new InvalidTemplateException(at, "is " + kind(node) + "; give a JSON object.");
            }
            this.node = node;
            this.at = at;
        }

        List<String> names() {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }

        void only(String... known) {
            Set<String> allowed = new LinkedHashSet<>(List.of(known));
            for (String name : names()) {
                if (!allowed.contains(name)) {
                    throw new InvalidTemplateException(at + "." + name, "is not a field here; the fields are "
                            + String.join(", ", allowed) + ".");
                }
            }
        }

        JsonNode optional(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : v;
        }

        String string(String name) {
            return optionalString(name).orElseThrow(() -> new InvalidTemplateException(at + "." + name,
                    "is missing; give a string."));
        }

        Optional<String> optionalString(String name) {
            JsonNode v = optional(name);
            if (v == null) {
                return Optional.empty();
            }
            if (!v.isTextual()) {
                throw new InvalidTemplateException(at + "." + name, "is " + kind(v) + "; give a string.");
            }
            return Optional.of(v.textValue());
        }

        boolean optionalBoolean(String name, boolean otherwise) {
            JsonNode v = optional(name);
            if (v == null) {
                return otherwise;
            }
            if (!v.isBoolean()) {
                throw new InvalidTemplateException(at + "." + name, "is " + kind(v) + "; give true or false.");
            }
            return v.booleanValue();
        }

        OptionalInt optionalInt(String name) {
            JsonNode v = optional(name);
            if (v == null) {
                return OptionalInt.empty();
            }
            if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
                throw new InvalidTemplateException(at + "." + name, "is " + kind(v) + "; give a whole number.");
            }
            return OptionalInt.of(v.asInt());
        }

        private JsonNode array(String name) {
            JsonNode v = optional(name);
            if (v == null) {
                throw new InvalidTemplateException(at + "." + name, "is missing; give a JSON array.");
            }
            if (!v.isArray()) {
                throw new InvalidTemplateException(at + "." + name, "is " + kind(v) + "; give a JSON array.");
            }
            return v;
        }

        List<String> strings(String name) {
            JsonNode v = array(name);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    throw new InvalidTemplateException(at + "." + name + "[" + i + "]", "is " + kind(v.get(i))
                            + "; give a string.");
                }
                out.add(v.get(i).textValue());
            }
            return out;
        }

        List<Fields> objects(String name) {
            JsonNode v = array(name);
            List<Fields> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                out.add(new Fields(v.get(i), at + "." + name + "[" + i + "]"));
            }
            return out;
        }

        private static String kind(JsonNode v) {
            if (v == null || v.isNull()) {
                return "missing";
            }
            return switch (v.getNodeType()) {
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                case BOOLEAN -> "a boolean";
                case NUMBER -> "a number";
                case STRING -> "a string";
                default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    // ---- differences from a fetched Content resource ----

    static List<String> differences(ContentTemplate t, String contentJson) {
        JsonNode theirs;
        try {
            theirs = MAPPER.readTree(contentJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("contentJson is not JSON: " + e.getOriginalMessage(), e);
        }
        if (theirs == null || !theirs.isObject()) {
            throw new IllegalArgumentException("contentJson is not a JSON object (a Content resource)");
        }
        ObjectNode ours = createRequest(t);
        List<String> out = new ArrayList<>();
        for (String field : List.of("friendly_name", "language", "variables", "types")) {
            diff(field, ours.get(field), theirs.get(field), out);
        }
        return List.copyOf(out);
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        boolean aAbsent = a == null || a.isNull();
        boolean bAbsent = b == null || b.isNull();
        if (aAbsent || bAbsent) {
            if (aAbsent != bAbsent && !isDefault(path, aAbsent ? b : a)) {
                out.add(path);
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                diff(path + "." + name, a.get(name), b.get(name), out);
            }
        } else if (a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                diff(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
        } else if (a.isNumber() && b.isNumber()) {
            if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
                out.add(path);
            }
        } else if (!a.equals(b)) {
            out.add(path);
        }
    }

    /** A value one side leaves out that means what leaving it out means: no difference. */
    private static boolean isDefault(String path, JsonNode present) {
        if (present.isArray() && present.isEmpty()) {
            return true;
        }
        if (path.matches("types\\.twilio/quick-reply\\.actions\\[\\d+\\]\\.type")) {
            return "QUICK_REPLY".equals(present.asText());
        }
        return false;
    }
}
