package org.twiliochannels.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every request in order of arrival, and the checks tests run over that sequence. Thread-safe. */
final class RequestLog {
    private final List<ApiRequest> requests = new ArrayList<>();

    synchronized void add(ApiRequest request) {
        requests.add(request);
    }

    synchronized List<ApiRequest> all() {
        return List.copyOf(requests);
    }

    /**
     * Every create that repeats an earlier create of the same message (same {@code To}, sender and
     * content) whose answer left its fate uncertain (a 5xx, a dropped connection, a late or
     * unreadable success), with no successful read of the message log for that recipient in
     * between; each as the two requests, described.
     */
    List<String> blindResends() {
        List<ApiRequest> all = all();
        Map<String, Integer> uncertain = new HashMap<>();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ApiRequest r = all.get(i);
            if (r.kind() == ApiRequest.Kind.LIST_MESSAGES && readable(r)) {
                Optional<String> to = r.to();
                uncertain.keySet().removeIf(key -> to.isEmpty() || key.startsWith(to.get() + "\n"));
            } else if (r.kind() == ApiRequest.Kind.CREATE_MESSAGE) {
                String key = identity(r.params());
                Integer earlier = uncertain.remove(key);
                if (earlier != null) {
                    found.add("#" + earlier + " " + all.get(earlier) + ", then #" + i + " " + r);
                }
                if (uncertainAnswer(r)) {
                    uncertain.put(key, i);
                }
            }
        }
        return found;
    }

    private static boolean readable(ApiRequest list) {
        return list.status() == 200 && list.fault().filter(f -> f.kind == Fault.Kind.MALFORMED_SUCCESS).isEmpty();
    }

    private static boolean uncertainAnswer(ApiRequest create) {
        return create.dropped() || create.status() >= 500 || create.fault()
                .filter(f -> f.kind == Fault.Kind.DELAY || f.kind == Fault.Kind.MALFORMED_SUCCESS).isPresent();
    }

    private static String identity(FormBody p) {
        return String.join("\n", p.first("To").orElse(""), p.first("From").orElse(""),
                p.first("MessagingServiceSid").orElse(""), p.first("Body").orElse(""),
                p.first("ContentSid").orElse(""), p.first("ContentVariables").orElse(""),
                String.join(" ", p.all("MediaUrl")));
    }
}
