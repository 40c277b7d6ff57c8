package dev.wgcp.ipam.api;

import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.ipam.service.AllocationExchange;
import dev.wgcp.ipam.service.AllocationRecord;
import io.micronaut.core.annotation.Nullable;
import dev.wgcp.kit.security.Caller;
import io.micronaut.http.HttpHeaders;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.util.List;

/**
 * Export and import of allocations and reservations, CSV (NetBox's columns) or JSON. Export:
 * {@code GET /v1/allocations?network=&pool=&format=csv|json}. Import: {@code POST
 * /v1/allocations/import} with {@code Content-Type: text/csv} or {@code application/json}.
 */
@Controller("/v1/allocations")
@ExecuteOn(TaskExecutors.BLOCKING) // JDBC: off the event loop
public class AllocationController {

    private static final MediaType CSV = MediaType.of("text/csv");

    private final AllocationExchange exchange;
    private final JsonMapper json;

    public AllocationController(AllocationExchange exchange, JsonMapper json) {
        this.exchange = exchange;
        this.json = json;
    }

    @Get
    public HttpResponse<?> export(HttpRequest<?> request, @QueryValue @Nullable String network, @QueryValue @Nullable String pool,
                                  @QueryValue @Nullable String format, Authentication authentication) {
        network = Caller.of(authentication).ownNetwork(network);
        boolean csv = format != null ? switch (format) {
            case "csv" -> true;
            case "json" -> false;
            default -> throw Refusal.invalid("format '" + format + "' is not supported: expected csv or json");
        } : request.getHeaders().accept().stream().anyMatch(m -> m.getName().equals("text/csv"));
        List<AllocationRecord> rows = exchange.export(network, pool);
        if (csv) {
            return HttpResponse.ok(AllocationCsv.write(rows)).contentType(CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"wgcp-allocations.csv\"");
        }
        return HttpResponse.ok(rows).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Post("/import")
    @Consumes({"text/csv", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public AllocationExchange.ImportResult importRows(HttpRequest<?> request, @Body String body) {
        String type = request.getContentType().map(MediaType::getName).orElse("");
        if (type.equals(MediaType.APPLICATION_JSON)) {
            List<AllocationRecord> rows;
            try {
                rows = json.readValue(body, io.micronaut.core.type.Argument.listOf(AllocationRecord.class));
            } catch (IOException | RuntimeException e) {
                throw Refusal.invalid("the JSON cannot be read: expected an array of objects with "
                        + String.join(", ", AllocationRecord.COLUMNS) + " (tags an array of strings)");
            }
            return exchange.importRows(rows == null ? List.of() : rows, 1);
        }
        return exchange.importRows(AllocationCsv.read(body), 2);
    }
}
