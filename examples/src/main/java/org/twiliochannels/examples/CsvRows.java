package org.twiliochannels.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a CSV file one row at a time (header first; quoted fields with commas and doubled quotes
 * allowed), so that a file of a million recipients is never in memory.
 */
final class CsvRows implements Iterator<Map<String, String>>, AutoCloseable {
    private final BufferedReader reader;
    private final List<String> header;
    private final Path file;
    private Map<String, String> next;
    private int line = 1;

    CsvRows(Path file) {
        this.file = file;
        try {
            this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            String first = reader.readLine();
            if (first == null) {
                throw new IllegalArgumentException(file + " is empty; its first line must name the columns, e.g. phone,name");
            }
            this.header = split(first.startsWith("\uFEFF") ? first.substring(1) : first).stream().map(String::strip).toList();
            advance();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    List<String> header() {
        return header;
    }

    private void advance() throws IOException {
        next = null;
        for (String l = reader.readLine(); l != null; l = reader.readLine()) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            List<String> fields = split(l);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < fields.size() ? fields.get(i).strip() : "");
            }
            row.put("#line", file.getFileName() + ":" + line);
            next = row;
            return;
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public Map<String, String> next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        Map<String, String> row = next;
        try {
            advance();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return row;
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
