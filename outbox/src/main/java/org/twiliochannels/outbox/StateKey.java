package org.twiliochannels.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * The name and type of one value kept in a {@link ConversationState}, e.g.
 * {@code StateKey.text("appointment")} or {@code StateKey.number("reminders")}. Values are stored
 * as text of at most {@value #MAX_TEXT_LENGTH} characters. Immutable; keep keys as constants.
 *
 * @param <T> the value's type
 */
public final class StateKey<T> {
    /** The longest text a value may be stored as. */
    public static final int MAX_TEXT_LENGTH = 2000;

    private final String name;
    private final Class<T> type;
    private final Function<T, String> write;
    private final Function<String, T> read;

    private StateKey(String name, Class<T> type, Function<T, String> write, Function<String, T> read) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("state key name \"" + name + "\" must be lower-case letters, digits,"
                    + " '.', '-' and '_', starting with a letter or digit, at most 64 characters, e.g. \"appointment\"");
        }
        this.name = name;
        this.type = type;
        this.write = write;
        this.read = read;
    }

    /** A text value. */
    public static StateKey<String> text(String name) {
        return new StateKey<>(name, String.class, s -> s, s -> s);
    }

    /** A whole number. */
    public static StateKey<Long> number(String name) {
        return new StateKey<>(name, Long.class, n -> Long.toString(n), Long::valueOf);
    }

    /** A yes or no. */
    public static StateKey<Boolean> flag(String name) {
        return new StateKey<>(name, Boolean.class, b -> Boolean.toString(b), Boolean::valueOf);
    }

    /** A point in time. */
    public static StateKey<Instant> instant(String name) {
        return new StateKey<>(name, Instant.class, Instant::toString, Instant::parse);
    }

    /** The name the value is stored under. */
    public String name() {
        return name;
    }

    /** The value's type. */
    public Class<T> type() {
        return type;
    }

    String write(T value) {
        String text = write.apply(Objects.requireNonNull(value, "value"));
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("value of state key \"" + name + "\" is " + text.length()
                    + " characters; at most " + MAX_TEXT_LENGTH + " are kept: store an id and keep the rest in"
                    + " your own tables");
        }
        return text;
    }

    T read(String text) {
        return read.apply(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateKey<?> k && k.name.equals(name) && k.type.equals(type);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return "StateKey[" + name + ", " + type.getSimpleName() + "]";
    }
}
