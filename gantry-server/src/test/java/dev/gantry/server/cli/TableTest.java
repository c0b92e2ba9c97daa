package dev.gantry.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    private static String render(Table table) {
        var out = new StringWriter();
        table.print(new PrintWriter(out, true));
        return out.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void columnsAreAsWideAsTheirWidestCellAndLinesHaveNoTrailingSpaces() {
        var table = new Table("ID", "NAME", "STATUS")
                .row("key_1", "a much longer name", "active")
                .row("key_22", "b", "revoked");
        assertThat(render(table)).isEqualTo("""
                ID      NAME                STATUS
                key_1   a much longer name  active
                key_22  b                   revoked
                """);
    }

    @Test
    void emptyAndMissingCellsShowADash() {
        var table = new Table("A", "B", "C").row("x", "").row(null, "y", " ");
        assertThat(render(table)).isEqualTo("""
                A  B  C
                x  -  -
                -  y  -
                """);
    }

    @Test
    void longCellsAreCutAndLineBreaksBecomeSpaces() {
        String long60 = "x".repeat(60);
        var table = new Table("DESCRIPTION", "N").row("first line\n  second line", "1").row(long60, "2");
        String[] lines = render(table).split("\n");
        assertThat(lines[1]).startsWith("first line second line");
        assertThat(lines[2]).startsWith("x".repeat(Table.MAX_CELL - 3) + "...  2");
    }

    @Test
    void widthCountsCodePointsNotChars() {
        var table = new Table("NAME", "N").row("\uD83D\uDE80 rocket", "1").row("plain", "2");
        assertThat(render(table).split("\n")[2]).isEqualTo("plain     2");
    }

    @Test
    void headerOnlyWhenThereAreNoRows() {
        assertThat(render(new Table("ID", "NAME"))).isEqualTo("ID  NAME\n");
    }

    @Test
    void moreCellsThanColumnsIsAProgrammingError() {
        assertThatThrownBy(() -> new Table("A").row("1", "2")).isInstanceOf(IllegalArgumentException.class);
    }
}
