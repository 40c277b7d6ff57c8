package dev.wgcp.ipam.api;

import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.ipam.persistence.ReservationStore.Reservation;
import dev.wgcp.ipam.service.PoolService;
import io.micronaut.core.annotation.Nullable;
import dev.wgcp.kit.security.Caller;
import io.micronaut.http.HttpResponse;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Pools and their reservations. */
@Controller("/v1/pools")
@ExecuteOn(TaskExecutors.BLOCKING) // JDBC: off the event loop
public class PoolController {

    /** A new pool; {@code reserved} entries are addresses or first-last ranges. */
    @Serdeable
    public record CreatePool(@Nullable String name, @Nullable String network, @Nullable String cidr, @Nullable String edge,
                             @Nullable String description, @Nullable List<String> reserved) {
    }

    /** A pool change: a new prefix length (grow, or shrink when the dropped range is empty) and/or description. */
    @Serdeable
    public record ChangePool(@Nullable String cidr, @Nullable String description) {
    }

    /** An address or {@code first-last} range to keep out of allocation. */
    @Serdeable
    public record CreateReservation(@Nullable String addresses, @Nullable String description) {
    }

    /** A reservation as the API shows it. */
    @Serdeable
    public record ReservationResponse(UUID id, String pool, String first, String last, long size, @Nullable String description,
                                      Instant createdAt) {
    }

    private final PoolService pools;

    public PoolController(PoolService pools) {
        this.pools = pools;
    }

    @Post
    public HttpResponse<PoolResponse> create(@Body CreatePool body) {
        var pool = pools.create(new PoolService.NewPool(body.name(), body.network(), body.cidr(), body.edge(), body.description(),
                body.reserved()));
        return HttpResponse.created(PoolResponse.of(pools.get(pool.name())), URI.create("/v1/pools/" + pool.name()));
    }

    @Get
    public List<PoolResponse> list(@QueryValue @Nullable String network, Authentication authentication) {
        return pools.list(Caller.of(authentication).ownNetwork(network)).stream().map(PoolResponse::of).toList();
    }

    @Get("/{name}")
    public PoolResponse get(@PathVariable String name, Authentication authentication) {
        return PoolResponse.of(readable(name, authentication));
    }

    @Patch("/{name}")
    public PoolResponse change(@PathVariable String name, @Body ChangePool body) {
        if (body.cidr() == null && body.description() == null) {
            throw Refusal.invalid("nothing to change: expected cidr (a new prefix length, e.g. 10.100.0.0/23) and/or description");
        }
        return PoolResponse.of(pools.resize(name, body.cidr(), body.description()));
    }

    @Delete("/{name}")
    @Status(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name) {
        pools.delete(name);
    }

    @Get("/{name}/reservations")
    public List<ReservationResponse> reservations(@PathVariable String name, Authentication authentication) {
        var usage = readable(name, authentication);
        return pools.reservations(name).stream().map(r -> response(usage, r)).toList();
    }

    @Post("/{name}/reservations")
    public HttpResponse<ReservationResponse> reserve(@PathVariable String name, @Body CreateReservation body) {
        Reservation r = pools.reserve(name, body.addresses(), body.description());
        return HttpResponse.created(response(pools.get(name), r), URI.create("/v1/pools/" + name + "/reservations/" + r.id()));
    }

    @Delete("/{name}/reservations/{id}")
    @Status(HttpStatus.NO_CONTENT)
    public void unreserve(@PathVariable String name, @PathVariable String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("'" + id + "' is not a reservation id: expected the UUID that POST /v1/pools/" + name
                    + "/reservations returned");
        }
        pools.unreserve(name, uuid);
    }

    /** The pool, when the caller may read its network (403 for an operator of another network). */
    private PoolService.Usage readable(String name, Authentication authentication) {
        var usage = pools.get(name);
        Caller.of(authentication).requireNetwork(usage.pool().networkId());
        return usage;
    }

    private static ReservationResponse response(PoolService.Usage usage, Reservation r) {
        var p = usage.pool();
        return new ReservationResponse(r.id(), r.pool(), p.address(r.range().first()).getHostAddress(),
                p.address(r.range().last()).getHostAddress(), r.range().size(), r.description(), r.createdAt());
    }
}
