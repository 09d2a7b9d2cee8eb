package org.twiliochannels.outbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.SegmentCount;
import org.twiliochannels.core.Template;

/** A {@link Message} as the JSON kept in the outbox row, and back. Every field of the message is kept. */
final class MessageCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageCodec() {}

    static String write(Message m) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) { // streamed: no tree per message
            g.writeStartObject();
            g.writeStringField("to", m.to().value());
            if (m.body().isPresent()) {
                g.writeStringField("body", m.body().get());
            }
            if (!m.mediaUrls().isEmpty()) {
                g.writeArrayFieldStart("media");
                for (URI u : m.mediaUrls()) {
                    g.writeString(u.toString());
                }
                g.writeEndArray();
            }
            if (m.statusCallback().isPresent()) {
                g.writeStringField("statusCallback", m.statusCallback().get().toString());
            }
            if (m.template().isPresent()) {
                writeTemplate(g, "template", m.template().get());
            }
            if (m.fallbackTemplate().isPresent()) {
                writeTemplate(g, "fallbackTemplate", m.fallbackTemplate().get());
            }
            if (m.sendAt().isPresent()) {
                g.writeStringField("sendAt", m.sendAt().get().toString());
            }
            if (m.validityPeriod().isPresent()) {
                g.writeNumberField("validitySeconds", m.validityPeriod().get().toSeconds());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the message as JSON", e);
        }
        return out.toString();
    }

    static Message read(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outbox row's content is not the JSON this library writes", e);
        }
        Message.Builder b = Message.builder().to(o.path("to").asText());
        if (o.has("body")) {
            b.body(o.get("body").asText());
        }
        for (JsonNode u : o.path("media")) {
            b.mediaUrl(URI.create(u.asText()));
        }
        if (o.has("statusCallback")) {
            b.statusCallback(URI.create(o.get("statusCallback").asText()));
        }
        if (o.has("template")) {
            b.template(template(o.get("template")));
        }
        if (o.has("fallbackTemplate")) {
            b.fallbackTemplate(template(o.get("fallbackTemplate")));
        }
        if (o.has("sendAt")) {
            b.sendAt(Instant.parse(o.get("sendAt").asText()));
        }
        if (o.has("validitySeconds")) {
            b.validityPeriod(Duration.ofSeconds(o.get("validitySeconds").asLong()));
        }
        return b.build();
    }

    /** Segments the message costs its sender: SMS by its body's encoding, one for other channels and templates. */
    static int segments(String channel, Message m) {
        if (!"sms".equals(channel) || m.template().isPresent()) {
            return 1;
        }
        return m.body().filter(s -> !s.isEmpty()).map(s -> SegmentCount.of(s).segments()).orElse(1);
    }

    private static void writeTemplate(JsonGenerator g, String field, Template t) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("sid", t.sid().value());
        g.writeObjectFieldStart("variables");
        for (Map.Entry<String, String> v : t.variables().entrySet()) {
            g.writeStringField(v.getKey(), v.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static Template template(JsonNode o) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("variables").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vars.put(e.getKey(), e.getValue().asText());
        }
        return new Template(ContentSid.of(o.path("sid").asText()), vars);
    }
}
