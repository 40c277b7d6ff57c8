package dev.wgcp.edge.domain;

import java.util.regex.Pattern;

/**
 * What an nft script from firewall-sync may contain before the agent hands it to {@code nft -f}: it
 * creates, deletes and refills table {@code inet wgcp} and nothing else. At the top level only
 * comments, {@code table inet wgcp {}} (so that the delete finds it), {@code delete table inet wgcp}
 * and one {@code table inet wgcp { ... }} block; inside it only {@code set}, {@code map} and
 * {@code chain} blocks with plain names; and nowhere the words that reach beyond the table or the
 * script ({@code table}, {@code ruleset}, {@code include}, {@code define}, variables, {@code flush},
 * {@code delete}/{@code add}/{@code insert} statements, {@code destroy}). nft itself then refuses
 * anything that is not valid nftables. A table is the unit nft replaces atomically, so this is what
 * keeps a signed but wrong ruleset from touching the host's own firewall.
 */
public final class RulesetScript {

    private static final String TABLE_LINE = "table inet wgcp {";
    private static final Pattern MEMBER = Pattern.compile("(set|map|chain) [A-Za-z][A-Za-z0-9_]{0,63} \\{");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "(^|[^A-Za-z0-9_-])(table|ruleset|include|define|redefine|undefine|flush|delete|destroy|add|insert|replace|create|reset|list|export|import|monitor)([^A-Za-z0-9_-]|$)");

    private RulesetScript() {
    }

    /** Null when {@code script} only replaces table {@code inet wgcp}, else what is wrong and where. */
    public static String problem(String script) {
        if (script.indexOf('\0') >= 0 || script.indexOf('\r') >= 0) {
            return "the ruleset holds NUL or carriage-return characters: expected nft text with line feeds";
        }
        String[] lines = script.split("\n", -1);
        int depth = 0;
        boolean tableDone = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            String at = " (line " + (n + 1) + ": '" + RecordChecks.printable(line) + "')";
            if (line.isEmpty() || line.startsWith("#")) {
                continue; // a comment line is nothing to nft
            }
            if (depth >= 2 && isElementList(line)) {
                continue; // addresses and prefixes only (the bulk of a large ruleset): nothing else to look for
            }
            String code = withoutStrings(line);
            if (code == null) {
                return "the ruleset has an unterminated string" + at;
            }
            if (code.contains("$") || code.contains("#")) {
                return "the ruleset uses a variable or a trailing comment: expected plain nft statements" + at;
            }
            if (depth == 0) {
                if (line.equals("table inet wgcp {}") || line.equals("delete table inet wgcp")) {
                    if (tableDone) {
                        return "the ruleset touches table inet wgcp again after filling it: expected nothing after its block" + at;
                    }
                    continue;
                }
                if (!line.equals(TABLE_LINE) || tableDone) {
                    return "the ruleset does something besides replacing table inet wgcp: expected only 'table inet wgcp {}',"
                            + " 'delete table inet wgcp' and one 'table inet wgcp { ... }' block" + at;
                }
                depth = 1;
                continue;
            }
            if (depth == 1) {
                if (line.equals("}")) {
                    depth = 0;
                    tableDone = true;
                    continue;
                }
                if (!MEMBER.matcher(line).matches()) {
                    return "table inet wgcp may hold only set, map and chain blocks with plain names" + at;
                }
                depth = 2;
                continue;
            }
            if (FORBIDDEN.matcher(code).find()) {
                return "a rule or set inside table inet wgcp uses a command word that reaches beyond it" + at;
            }
            for (char c : code.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                }
            }
            if (depth < 1) {
                return "the ruleset's braces do not match" + at;
            }
            if (depth > 4) {
                return "the ruleset nests blocks deeper than sets and chains do" + at;
            }
        }
        if (depth != 0) {
            return "the ruleset ends inside a block: expected its braces to match";
        }
        if (!tableDone) {
            return "the ruleset has no 'table inet wgcp { ... }' block";
        }
        return null;
    }

    /** {@code elements = { a, b/24, c-d }} with nothing but address characters between the braces. */
    private static boolean isElementList(String line) {
        if (!line.startsWith("elements = {") || !line.endsWith("}")) {
            return false;
        }
        for (int i = "elements = {".length(); i < line.length() - 1; i++) {
            char c = line.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == '/'
                    || c == ',' || c == ' ' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The line with quoted strings emptied (nft has no escapes in them), or null when a string is not closed. */
    private static String withoutStrings(String line) {
        StringBuilder out = new StringBuilder(line.length());
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                out.append(c);
            } else if (!quoted) {
                out.append(c);
            }
        }
        return quoted ? null : out.toString();
    }
}
