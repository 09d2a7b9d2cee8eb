package org.twiliochannels.whatsapp.content;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Content template defined in code: a friendly name and a language (together the key by which it
 * is found at Twilio), example values for its numbered placeholders, and the content types it
 * offers. Immutable; {@link Builder#build()} checks every rule of WhatsApp and Twilio and throws
 * {@link InvalidTemplateException} naming the template, the field and the rule.
 *
 * <pre>{@code
 * ContentTemplate confirmation = ContentTemplate.builder("appointment_confirmation", "en")
 *         .variable("1", "Ada").variable("2", "Tuesday 3 pm")
 *         .type(ContentType.QuickReply.of("Hi {{1}}, see you on {{2}}. Can you make it?",
 *                 ContentType.Button.of("confirm", "Yes, I'll be there"), ContentType.Button.of("reschedule", "Reschedule")))
 *         .type(new ContentType.Text("Hi {{1}}, see you on {{2}}. Reply YES to confirm."))
 *         .build();
 * String body = confirmation.createRequestJson();   // POST https://content.twilio.com/v1/Content
 * }</pre>
 *
 * <p>Rules checked when built, besides each type's limits: placeholders are numbered {@code {{1}}}
 * to {@code {{n}}} without gaps (at most 100), every placeholder has an example and every example a
 * placeholder (WhatsApp approves a template only with samples), examples follow the rules of a
 * variable's value, a body neither starts nor ends with a placeholder nor has two side by side
 * (WhatsApp does not approve them), and a media URL ending in a placeholder ends, with its example,
 * in the file's type.
 */
public final class ContentTemplate {
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}([_-][A-Za-z0-9]{2,4})?");
    private static final Pattern FILE_TYPE = Pattern.compile("/[^/?#]*\\.[A-Za-z0-9]{2,5}([?#].*)?$");

    private final String friendlyName;
    private final String language;
    private final Map<String, String> variables;
    private final List<ContentType> types;
    private final List<String> placeholders;

    private ContentTemplate(Builder b, Map<String, String> variables, List<String> placeholders) {
        this.friendlyName = b.friendlyName;
        this.language = b.language;
        this.variables = variables;
        this.types = List.copyOf(b.types.values());
        this.placeholders = placeholders;
    }

    /**
     * A builder of a template.
     *
     * @param friendlyName the name the template is found by at Twilio, e.g. {@code appointment_confirmation}
     * @param language     its language code, e.g. {@code en} or {@code pt_BR}
     */
    public static Builder builder(String friendlyName, String language) {
        return new Builder(friendlyName, language);
    }

    /** A builder holding this template's values. */
    public Builder newBuilder() {
        Builder b = new Builder(friendlyName, language);
        variables.forEach(b::variable);
        types.forEach(b::type);
        return b;
    }

    /** The friendly name, Twilio's {@code friendly_name}. */
    public String friendlyName() {
        return friendlyName;
    }

    /** The language code. */
    public String language() {
        return language;
    }

    /** The example value of each placeholder, by number ({@code "1"}, {@code "2"} …), in order. */
    public Map<String, String> variables() {
        return variables;
    }

    /** The content types, in the order given. */
    public List<ContentType> types() {
        return types;
    }

    /**
     * The variables a send must give, in order: the numbers of the placeholders, and {@code "1"} (the
     * code) for a {@code whatsapp/authentication} template.
     */
    public List<String> placeholders() {
        return placeholders;
    }

    /** The body of the Content API's create request ({@code ContentCreateRequest}) as JSON. */
    public String createRequestJson() {
        return ContentJson.createRequest(this).toString();
    }

    /**
     * The fields in which a Content resource fetched from Twilio differs from this definition, as
     * paths in its JSON ({@code friendly_name}, {@code language}, {@code variables.2},
     * {@code types.twilio/quick-reply.actions[1].title}, {@code types.twilio/card} for a type only one
     * side has …); empty when they match. A field that is null or absent on both sides matches.
     *
     * @param contentJson a Content resource as {@code GET /v1/Content/{Sid}} returns it
     * @throws IllegalArgumentException when {@code contentJson} is not a JSON object
     */
    public List<String> differences(String contentJson) {
        return ContentJson.differences(this, Objects.requireNonNull(contentJson, "contentJson"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentTemplate t && friendlyName.equals(t.friendlyName) && language.equals(t.language)
                && variables.equals(t.variables) && types.equals(t.types);
    }

    @Override
    public int hashCode() {
        return Objects.hash(friendlyName, language, variables, types);
    }

    /** The name, language and type ids, e.g. {@code ContentTemplate[appointment_confirmation (en): twilio/text]}. */
    @Override
    public String toString() {
        return "ContentTemplate[" + friendlyName + " (" + language + "): "
                + types.stream().map(ContentType::id).collect(Collectors.joining(", ")) + "]";
    }

    /** Builds a {@link ContentTemplate}; {@link #build()} checks it. */
    public static final class Builder {
        private final String friendlyName;
        private final String language;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private final Map<String, ContentType> types = new LinkedHashMap<>();

        private Builder(String friendlyName, String language) {
            this.friendlyName = Objects.requireNonNull(friendlyName, "friendlyName");
            this.language = Objects.requireNonNull(language, "language");
        }

        /** The example value of placeholder {@code {{number}}} (also its default at send time). */
        public Builder variable(String number, String example) {
            variables.put(Objects.requireNonNull(number, "number"), Objects.requireNonNull(example, "example"));
            return this;
        }

        /**
         * Adds a content type; a template has at most one of each.
         *
         * @throws InvalidTemplateException when the template already has a type with this id
         */
        public Builder type(ContentType type) {
            Objects.requireNonNull(type, "type");
            if (types.putIfAbsent(type.id(), type) != null) {
                throw new InvalidTemplateException("types." + type.id(), "is given twice; a template has at most one"
                        + " of each content type.").in(prefix(friendlyName, language));
            }
            return this;
        }

        /** Adds a {@code twilio/text} type with this body. */
        public Builder text(String body) {
            return type(new ContentType.Text(body));
        }

        /**
         * Checks the template and builds it.
         *
         * @throws InvalidTemplateException naming the template, the field, the rule and the fix
         */
        public ContentTemplate build() {
            try {
                return check();
            } catch (InvalidTemplateException e) {
                throw e.in(prefix(friendlyName, language));
            }
        }

        private ContentTemplate check() {
            if (friendlyName.isBlank()) {
                throw new InvalidTemplateException("friendly_name", "is empty; give the name the template is found by,"
                        + " e.g. appointment_confirmation.");
            }
            if (!LANGUAGE.matcher(language).matches()) {
                throw new InvalidTemplateException("language", "\"" + language + "\" is not a language code; give an"
                        + " ISO 639-1 code such as en, or a WhatsApp locale such as pt_BR.");
            }
            if (types.isEmpty()) {
                throw new InvalidTemplateException("types", "is empty; give at least one content type, e.g. twilio/text.");
            }
            Map<String, String> firstUse = new LinkedHashMap<>();
            ContentJson.strings(ContentJson.types(types.values())).forEach((field, text) -> {
                for (String p : Placeholders.in(field, text)) {
                    firstUse.putIfAbsent(p, field);
                }
            });
            for (ContentType t : types.values()) {
                bodyOf(t).ifPresent(body -> Placeholders.checkBody("types." + t.id() + "." + bodyField(t), body));
            }
            Set<Integer> numbers = new TreeSet<>();
            firstUse.keySet().forEach(p -> numbers.add(Integer.valueOf(p)));
            Limits.atMost("variables", numbers.size(), Limits.VARIABLES);
            int expected = 1;
            for (int n : numbers) {
                if (n != expected) {
                    throw new InvalidTemplateException(firstUse.get(Integer.toString(n)), "uses {{" + n + "}} but no {{"
                            + expected + "}}; number placeholders consecutively from {{1}}.");
                }
                expected++;
            }
            for (Map.Entry<String, String> use : firstUse.entrySet()) {
                if (!variables.containsKey(use.getKey())) {
                    throw new InvalidTemplateException("variables." + use.getKey(), "is missing; {{" + use.getKey()
                            + "}} in " + use.getValue() + " needs an example value (WhatsApp approves a template only"
                            + " with samples).");
                }
            }
            Map<String, String> sorted = new LinkedHashMap<>();
            variables.keySet().stream().sorted(Comparator.comparing(Builder::number)).forEach(k -> {
                if (!firstUse.containsKey(k)) {
                    throw new InvalidTemplateException("variables." + k, "has no placeholder {{" + k + "}} in any"
                            + " content type; remove it or use it.");
                }
                String problem = Limits.variableValueProblem(variables.get(k));
                if (!problem.isEmpty()) {
                    throw new InvalidTemplateException("variables." + k, problem);
                }
                sorted.put(k, variables.get(k));
            });
            checkMediaFileTypes(sorted);
            List<String> placeholders = new ArrayList<>(sorted.keySet());
            if (types.containsKey(ContentType.WhatsAppAuthentication.ID) && !placeholders.contains("1")) {
                placeholders.add(0, "1");
            }
            return new ContentTemplate(this, java.util.Collections.unmodifiableMap(sorted), List.copyOf(placeholders));
        }

        private void checkMediaFileTypes(Map<String, String> examples) {
            ContentJson.strings(ContentJson.types(types.values())).forEach((field, text) -> {
                if (field.matches("types\\.twilio/(media|card)\\.media\\[\\d+\\]") && text.endsWith("}}")) {
                    String url = text;
                    for (Map.Entry<String, String> e : examples.entrySet()) {
                        url = url.replace("{{" + e.getKey() + "}}", e.getValue());
                    }
                    if (!FILE_TYPE.matcher(url).find()) {
                        throw new InvalidTemplateException(field, "is \"" + url + "\" with its example, which does not"
                                + " end in a file type; Twilio needs a media URL whose example ends in the file's type,"
                                + " e.g. .jpg or .pdf.");
                    }
                }
            });
        }

        private static int number(String key) {
            return key.matches("[0-9]{1,9}") ? Integer.parseInt(key) : Integer.MAX_VALUE;
        }

        private static java.util.Optional<String> bodyOf(ContentType t) {
            if (t instanceof ContentType.Text x) {
                return java.util.Optional.of(x.body());
            } else if (t instanceof ContentType.Media x) {
                return x.body();
            } else if (t instanceof ContentType.QuickReply x) {
                return java.util.Optional.of(x.body());
            } else if (t instanceof ContentType.CallToAction x) {
                return java.util.Optional.of(x.body());
            } else if (t instanceof ContentType.Card x) {
                return java.util.Optional.of(x.title());
            }
            return java.util.Optional.empty(); // list pickers are never approved; authentication has no body
        }

        private static String bodyField(ContentType t) {
            return t instanceof ContentType.Card ? "title" : "body";
        }
    }

    static String prefix(String friendlyName, String language) {
        return "template \"" + friendlyName + "\" (" + language + "): ";
    }
}
