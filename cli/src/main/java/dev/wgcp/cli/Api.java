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
    /** Who answers, and how to point the CLI elsewhere: for messages. */
    private final String service;
    private final String urlOption;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(String baseUrl, String token) {
        this("the registry", "--url or WGCP_URL", "http://127.0.0.1:8080", baseUrl, token);
    }

    Api(String service, String urlOption, String example, String baseUrl, String token) {
        this.service = service;
        this.urlOption = urlOption;
        URI parsed;
        try {
            parsed = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || parsed.getHost() == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new ApiException(2, urlOption.split(" ")[0] + " '" + baseUrl + "' is not the base URL of " + service + "; expected e.g. "
                    + example);
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

    /** POSTs {@code body} as it is, with {@code contentType} (a CSV file, say). */
    JsonNode postText(String path, String contentType, String body) {
        return JSON_OF(send("POST", path, new RawBody(contentType, body)));
    }

    private record RawBody(String contentType, String text) {
    }

    private JsonNode JSON_OF(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(1, service + " answered something that is not JSON: " + body);
        }
    }

    private String send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, text/plain");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            if (body instanceof RawBody raw) {
                b.header("Content-Type", raw.contentType()).method(method, HttpRequest.BodyPublishers.ofString(raw.text()));
            } else if (body != null) {
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
            throw new ApiException(3, "cannot reach " + service + " at " + base + " (is it running? set " + urlOption + ")");
        } catch (IOException e) {
            throw new ApiException(3, "talking to " + service + " at " + base + " failed: " + e.getMessage());
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
