package dev.gantry.usage;

/**
 * Reads a usage object's counts straight from the bytes, for the plain JSON that providers send:
 * ASCII strings without escapes, integers of up to 18 digits, nesting up to 64 deep. That is every
 * usage object seen in practice, and reading it this way costs half of what creating a Jackson
 * parser for it and reading with that did (1.14 against 0.58 % of the CPU at saturation, in
 * profiles), on the event loop of every answer. Anything outside that subset (an escape, a
 * non-ASCII byte, a syntax error) is left to Jackson, so that both readers agree on every input:
 * {@link #read} then says {@link #ASK_JACKSON}.
 *
 * <p>Counts follow {@link UsageScanner}'s rules: the top-level token counts only at the object's
 * own level, the cache counts at any level, the last of duplicates wins, and array items (which
 * have no name) never count.
 */
final class UsageObjectReader {
    /** The bytes need Jackson's judgement. */
    static final int ASK_JACKSON = -1;
    /** The object is cut off by the end of the bytes: no usage can be read. */
    static final int CUT_OFF = -2;
    /** The object was read; the counts are set. */
    static final int READ = 0;

    private static final int MAX_DEPTH = 64;
    private static final int MAX_DIGITS = 18;

    long prompt = -1;
    long completion = -1;
    long cached;
    long input = -1;
    long output = -1;
    long cacheRead;
    long cacheWrite;

    private final byte[] buf;
    private final int to;
    private int pos;

    /** {@code buf[pos]} is the object's opening brace. */
    UsageObjectReader(byte[] buf, int pos, int to) {
        this.buf = buf;
        this.pos = pos;
        this.to = to;
    }

    int read() {
        long arrays = 0; // bit d set: the container at depth d is an array
        int depth = 0;
        pos++; // the opening brace
        depth++;
        boolean first = true;
        while (true) {
            if (!skipSpace()) return CUT_OFF;
            boolean inArray = (arrays & (1L << depth)) != 0;
            byte c = buf[pos];
            if (c == (inArray ? ']' : '}')) { // a comma before it is refused below, where a value should follow it
                pos++;
                if (--depth == 0) return READ;
                if (!afterValue()) return pos >= to ? CUT_OFF : ASK_JACKSON;
                first = false;
                continue;
            }
            if (!first) {
                if (c != ',') return ASK_JACKSON;
                pos++;
                if (!skipSpace()) return CUT_OFF;
                c = buf[pos];
            }
            int name = -1;
            if (!inArray) {
                if (c != '"') return ASK_JACKSON;
                int start = pos + 1;
                int end = stringEnd(start);
                if (end < 0) return end == -1 ? CUT_OFF : ASK_JACKSON;
                name = nameAt(start, end - start);
                pos = end + 1;
                if (!skipSpace()) return CUT_OFF;
                if (buf[pos] != ':') return ASK_JACKSON;
                pos++;
                if (!skipSpace()) return CUT_OFF;
                c = buf[pos];
            }
            first = false;
            if (c == '{' || c == '[') {
                if (++depth >= MAX_DEPTH) return ASK_JACKSON;
                if (c == '[') arrays |= 1L << depth;
                else arrays &= ~(1L << depth);
                pos++;
                first = true;
                continue;
            }
            int valueEnd = scalarEnd(c);
            if (valueEnd < 0) return valueEnd == -1 ? CUT_OFF : ASK_JACKSON;
            if (name >= 0 && isInteger(pos, valueEnd)) {
                if (valueEnd - pos > MAX_DIGITS) return ASK_JACKSON;
                count(name, depth, integer(pos, valueEnd));
            }
            pos = valueEnd;
            if (!afterValue()) return pos >= to ? CUT_OFF : ASK_JACKSON;
        }
    }

    /** After a value: only space, then a comma or a closing bracket may follow. */
    private boolean afterValue() {
        if (!skipSpace()) return false;
        byte c = buf[pos];
        return c == ',' || c == '}' || c == ']';
    }

    private boolean skipSpace() {
        while (pos < to) {
            byte c = buf[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return true;
            pos++;
        }
        return false;
    }

    /** The index of the closing quote of a string whose content starts at {@code from}; -1 cut off, -2 not plain. */
    private int stringEnd(int from) {
        for (int i = from; i < to; i++) {
            byte c = buf[i];
            if (c == '"') return i;
            if (c == '\\' || c < 0x20) return -2; // c < 0 too: a non-ASCII byte
        }
        return -1;
    }

    /** The end of a string, number or literal starting at {@code pos}; -1 cut off, -2 not plain. */
    private int scalarEnd(byte c) {
        if (c == '"') {
            int end = stringEnd(pos + 1);
            return end < 0 ? end : end + 1;
        }
        if (c == 't') return literalEnd("true");
        if (c == 'f') return literalEnd("false");
        if (c == 'n') return literalEnd("null");
        if (c == '-' || c >= '0' && c <= '9') return numberEnd();
        return -2;
    }

    private int literalEnd(String literal) {
        int end = pos + literal.length();
        for (int i = pos; i < end; i++) {
            if (i >= to) return -1;
            if (buf[i] != literal.charAt(i - pos)) return -2;
        }
        return end;
    }

    /** A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private int numberEnd() {
        int i = pos;
        if (buf[i] == '-') i++;
        if (i >= to) return -1;
        if (buf[i] == '0') i++;
        else if (buf[i] >= '1' && buf[i] <= '9') i = digitsEnd(i);
        else return -2;
        if (i < to && buf[i] == '.') {
            int start = ++i;
            i = digitsEnd(i);
            if (i == start) return i >= to ? -1 : -2;
        }
        if (i < to && (buf[i] == 'e' || buf[i] == 'E')) {
            i++;
            if (i < to && (buf[i] == '+' || buf[i] == '-')) i++;
            int start = i;
            i = digitsEnd(i);
            if (i == start) return i >= to ? -1 : -2;
        }
        return i >= to ? -1 : i; // a number at the very end may go on past it
    }

    private int digitsEnd(int i) {
        while (i < to && buf[i] >= '0' && buf[i] <= '9') i++;
        return i;
    }

    private long integer(int from, int end) {
        boolean negative = buf[from] == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < end; i++) v = v * 10 + (buf[i] - '0');
        return negative ? -v : v;
    }

    private boolean isInteger(int from, int end) {
        for (int i = from; i < end; i++) {
            byte c = buf[i];
            if (c == '.' || c == 'e' || c == 'E') return false;
            if (c != '-' && (c < '0' || c > '9')) return false;
        }
        return true;
    }

    private static final String[] NAMES = {"prompt_tokens", "completion_tokens", "cached_tokens", "input_tokens",
            "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"};

    /** The index of a counted name in {@link #NAMES}, else -1. */
    private int nameAt(int from, int length) {
        outer:
        for (int n = 0; n < NAMES.length; n++) {
            String name = NAMES[n];
            if (name.length() != length) continue;
            for (int i = 0; i < length; i++) if (buf[from + i] != name.charAt(i)) continue outer;
            return n;
        }
        return -1;
    }

    private void count(int name, int depth, long v) {
        switch (name) {
            case 0 -> prompt = depth == 1 ? v : prompt;
            case 1 -> completion = depth == 1 ? v : completion;
            case 2 -> cached = v;
            case 3 -> input = depth == 1 ? v : input;
            case 4 -> output = depth == 1 ? v : output;
            case 5 -> cacheRead = v;
            case 6 -> cacheWrite = v;
            default -> throw new IllegalStateException("name " + name);
        }
    }
}
