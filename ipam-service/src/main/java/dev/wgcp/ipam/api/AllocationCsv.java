package dev.wgcp.ipam.api;

import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.ipam.service.AllocationRecord;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The CSV form of an export or import: a header row, then one row per address; tags are one field,
 * comma-separated (as NetBox writes them). Unknown columns (NetBox's id, vrf, role, …) are ignored.
 */
final class AllocationCsv {

    private AllocationCsv() {
    }

    static String write(List<AllocationRecord> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                .setHeader(AllocationRecord.COLUMNS.toArray(String[]::new)).get())) {
            for (AllocationRecord r : rows) {
                printer.printRecord(r.address(), r.status(), r.tenant(), r.dnsName(), r.description(),
                        r.tags() == null ? "" : String.join(",", r.tags()), r.peerId(), r.pool(), r.rangeEnd());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<AllocationRecord> read(String text) {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text == null ? "" : text), format)) {
            if (!parser.getHeaderMap().containsKey("address")) {
                throw Refusal.invalid("the CSV has no address column: expected a header row such as "
                        + String.join(",", AllocationRecord.COLUMNS));
            }
            List<AllocationRecord> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                String tags = get(r, "tags");
                rows.add(new AllocationRecord(get(r, "address"), get(r, "status"), get(r, "tenant"), get(r, "dns_name"),
                        get(r, "description"), tags == null || tags.isBlank() ? List.of() : Arrays.asList(tags.split(",")),
                        get(r, "cf_wgcp_peer_id"), get(r, "cf_wgcp_pool"), get(r, "cf_wgcp_range_end")));
            }
            return rows;
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw Refusal.invalid("the CSV cannot be read (" + e.getMessage() + "): expected RFC 4180 CSV with a header row such as "
                    + String.join(",", AllocationRecord.COLUMNS));
        }
    }

    private static String get(CSVRecord r, String column) {
        if (!r.isMapped(column) || !r.isSet(column)) {
            return null;
        }
        String v = r.get(column);
        return v == null || v.isBlank() ? null : v;
    }
}
