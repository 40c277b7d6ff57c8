package dev.wgcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The registry's REST API as the CLI uses it: JSON in, JSON out, errors as {@link ApiException}. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(String baseUrl, String token) {
        URI parsed;
        try {
            parsed = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || parsed.getHost() == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new ApiException(2, "--url '" + baseUrl + "' is not the registry's base URL; expected e.g. http://127.0.0.1:8080");
        }
        this.base = parsed;
        this.token = token;
    }

    JsonNode get(String path) {
        return JSON_OF(send("GET", path, null));
    }

    JsonNode post(String path, Object body) {
        return JSON_OF(send("POST", path, body));
    }

    JsonNode patch(String path, Object body) {
        return JSON_OF(send("PATCH", path, body));
    }

    JsonNode put(String path, Object body) {
        return JSON_OF(send("PUT", path, body));
    }

    JsonNode delete(String path) {
        return JSON_OF(send("DELETE", path, null));
    }

    String text(String path) {
        return send("GET", path, null);
    }

    private static JsonNode JSON_OF(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(1, "the registry answered something that is not JSON: " + body);
        }
    }

    private String send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, text/plain");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400) {
                String message;
                try {
                    message = JSON.readTree(r.body()).path("message").asText(r.body());
                } catch (IOException notJson) {
                    message = r.body();
                }
                throw new ApiException(1, method + " " + path + " answered " + r.statusCode() + ": " + message);
            }
            return r.body();
        } catch (ConnectException e) {
            throw new ApiException(3, "cannot reach the registry at " + base + " (is it running? set --url or WGCP_URL)");
        } catch (IOException e) {
            throw new ApiException(3, "talking to the registry at " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(3, "interrupted");
        }
    }

    /** A refusal or failure, with the exit code the CLI ends with. */
    static final class ApiException extends RuntimeException {
        final int exitCode;

        ApiException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
