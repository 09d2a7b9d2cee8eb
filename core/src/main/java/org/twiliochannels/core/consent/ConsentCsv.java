package org.twiliochannels.core.consent;

import java.io.IOException;
import java.util.List;

/** The CSV form of consent changes: one line per change, quoted where RFC 4180 asks. */
final class ConsentCsv {
    /** The header line. */
    static final String HEADER = "at,recipient,account,channel,sender,state,source,keyword,message_sid,who,note";

    private ConsentCsv() {}

    static void write(Iterable<ConsentChange> changes, Appendable out, boolean mask) throws IOException {
        out.append(HEADER).append("\r\n");
        for (ConsentChange c : changes) {
            String keyword = "";
            String sid = "";
            String who = "";
            String note = "";
            if (c.source() instanceof ConsentSource.Keyword k) {
                keyword = k.keyword();
                sid = k.messageSid().value();
            } else if (c.source() instanceof ConsentSource.Error21610 e) {
                sid = e.messageSid().map(m -> m.value()).orElse("");
                note = e.detail();
            } else if (c.source() instanceof ConsentSource.Api a) {
                who = a.who();
                note = a.note();
            }
            List<String> cells = List.of(c.at().toString(), mask ? c.recipient().masked() : c.recipient().value(),
                    c.scope().account().value(), c.scope().channel(), c.scope().sender(), c.state().name(),
                    c.source().kind(), keyword, sid, text(who), text(note));
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(quote(cells.get(i)));
            }
            out.append("\r\n");
        }
    }

    /** Free text, defused for spreadsheets: a leading {@code = + - @} (or tab, CR) would start a formula. */
    private static String text(String value) {
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
