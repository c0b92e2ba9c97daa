package dev.gantry.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row and left-aligned columns two spaces apart, each as wide as its
 * widest cell. Cells are one line (line breaks become spaces), at most {@value #MAX_CELL}
 * characters, and an empty cell shows as {@code -} so that columns stay readable by eye and by
 * {@code awk}. No line ends in spaces.
 */
final class Table {
    static final int MAX_CELL = 48;
    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; missing trailing cells are empty, extra ones are an error. */
    Table row(String... cells) {
        if (cells.length > headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[headers.size()];
        for (int i = 0; i < row.length; i++) row[i] = cell(i < cells.length ? cells[i] : null);
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = width(headers.get(i));
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], width(row[i]));
        }
        out.println(line(headers.toArray(String[]::new), widths));
        for (String[] row : rows) out.println(line(row, widths));
    }

    private static String line(String[] cells, int[] widths) {
        var text = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) text.append(GAP);
            text.append(cells[i]);
            if (i < cells.length - 1) text.append(" ".repeat(widths[i] - width(cells[i])));
        }
        return text.toString().stripTrailing();
    }

    private static String cell(String value) {
        if (value == null || value.isBlank()) return "-";
        String oneLine = value.strip().replaceAll("\\s*\\R\\s*", " ");
        if (width(oneLine) <= MAX_CELL) return oneLine;
        int end = oneLine.offsetByCodePoints(0, MAX_CELL - 3);
        return oneLine.substring(0, end) + "...";
    }

    // Code points, not chars: an emoji in a team's description must not shift the columns after it.
    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
