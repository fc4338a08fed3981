package io.img2rec.eval.report;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.List;

/** Builds Tablesaw tables of strings and renders them as HTML tables (cells escaped; N/A cells marked). */
final class HtmlTables {

    private HtmlTables() {
    }

    /** An empty table whose columns are all text, in the given order. */
    static Table create(String name, String... columns) {
        Table table = Table.create(name);
        for (String c : columns) {
            table.addColumns(StringColumn.create(c));
        }
        return table;
    }

    /** Appends one row; {@code cells} must match the columns in number. */
    static void addRow(Table table, List<String> cells) {
        if (cells.size() != table.columnCount()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells but table '" + table.name()
                    + "' has " + table.columnCount() + " columns " + table.columnNames());
        }
        for (int i = 0; i < cells.size(); i++) {
            table.stringColumn(i).append(cells.get(i));
        }
    }

    static String render(Table table, String cssClass) {
        StringBuilder html = new StringBuilder();
        html.append("<table class=\"").append(Format.html(cssClass)).append("\">\n<thead><tr>");
        for (Column<?> c : table.columns()) {
            html.append("<th>").append(Format.html(c.name())).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < table.rowCount(); r++) {
            html.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                String cell = table.getString(r, c);
                boolean na = cell.startsWith("N/A");
                boolean numeric = !na && cell.matches("[-+\\[]?[0-9].*");
                html.append(na ? "<td class=\"na\">" : numeric ? "<td class=\"num\">" : "<td>")
                        .append(Format.html(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
        return html.toString();
    }
}
